"""Stress tests: themes and layers, statistics per region set, shares and sentences.

``themes`` (the only theme list, :data:`~adaptatie.stresstest.themes.THEME_KEYS`; layer records),
``results`` (:class:`ResultsStore`: partial aggregates of the atoms per layer and boundary year,
summaries per region set), ``shares`` (the share above a threshold and the plain Dutch sentences
used by the stress-test page, the council report and the risk dialogue), ``exports`` (CSV and
GeoPackage downloads with provenance) and ``demo`` (SYNTHETIC demonstration layers).
"""
