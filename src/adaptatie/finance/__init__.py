"""Co-financing ledger: adaptation measures and Impulsregeling money per DPRA werkregio.

What it is: a small, audited store of adaptation measures (maatregelen) per werkregio with their
costs and the Rijk contribution claimed under the Tijdelijke impulsregeling klimaatadaptatie, the
rules of that regulation, import/export of spreadsheets and the money per werkregio. Money is
always an integer number of euro cents.

What it is not: an accounting system (the kassier accounts for the money in its SiSa annex), nor
the source of the allocations (those come from ``geodata/allocations.toml`` with their sources).
The database itself (engine, tables, migrations, backup) is :mod:`adaptatie.db`.

Modules by role: ``records`` (plain frozen values), ``money`` and ``parse`` (Dutch amounts,
dates, themes), ``rules`` (one measure) and ``allocation_rules`` (many measures, allocations),
``totals`` and ``audit`` (pure computation), ``werkregios`` and ``allocations_file`` (reading
geodata/), ``ledger`` (the transactional API) and ``ledger_rows`` (the rows it writes),
``sheets``, ``import_read``, ``imports``, ``xlsx_guard`` and ``export`` (CSV/XLSX), ``auth`` and
``cli``. This package module imports nothing, so the pure modules load without SQLAlchemy.
"""
