"""Co-financing ledger: adaptation measures and Impulsregeling money per DPRA werkregio.

What it is: a small, audited store of adaptation measures (maatregelen) per werkregio with their
costs and the Rijk contribution claimed under the Tijdelijke impulsregeling klimaatadaptatie, the
rules of that regulation (:mod:`adaptatie.finance.rules`), import/export of spreadsheets and a
summary per werkregio. Money is always an integer number of euro cents.

What it is not: an accounting system (the kassier accounts for the money in its SiSa annex), nor
the source of the allocations (those come from ``geodata/allocations.toml`` with their sources).

Modules by role: ``records`` (plain frozen values), ``money`` and ``parse`` (Dutch amounts,
dates, themes), ``rules``, ``summary`` and ``audit`` (pure computation), ``werkregios`` and
``allocations_file`` (reading geodata/), ``models``, ``db`` and ``migrations`` (SQLAlchemy and
Alembic), ``ledger`` (the transactional API), ``sheets``, ``io`` and ``export`` (CSV/XLSX),
``backup``, ``auth`` and ``cli``.
This package module imports nothing, so the pure modules load without SQLAlchemy.
"""
