"""Regions for any boundary year: what a region is and what it is made of.

``models`` (plain frozen values, :data:`~adaptatie.regions.models.REGION_SETS`, ``ATOM_SET``),
``overlap`` and ``lineage`` (municipalities between years), ``atlas`` (:class:`Atlas`: every
region of every kind for a year, stored on disk), ``resolve`` (definitions to members),
``lookup`` (find by name), ``names`` (a written municipality, province or kassier to its CBS
code), ``atoms`` (municipality x water board, the only atom builder),
``sets`` (which atoms make up each region set), ``profiles`` (area, population, water boards),
``population``, ``display`` (simplified GeoJSON for the browser), ``tables`` and ``serialize``.
This package module imports nothing, so ``adaptatie regions show`` loads without geopandas.
"""
