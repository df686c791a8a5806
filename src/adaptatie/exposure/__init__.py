"""From hazard to exposure: object layers, what of them a stress-test layer hits, per region.

* ``files``: an object file's layers, columns, geometry type and CRS before it is read.
* ``layers``: read and check object files (BAG panden and verblijfsobjecten, NWB wegvakken or
  BGT wegdelen, vital and vulnerable objects with a category, CBS 100 m population cells).
* ``store``: object layers kept in the home folder with their source and date.
* ``sampling``: raster values at points, along façades and along road pieces.
* ``partials``: counts and lengths as the zonal engine's mergeable partials per atom.
* ``areas``: road polygons (BGT wegdelen): exact road area per class per atom.
* ``summaries``: exposure per region set from those partials (stored per fingerprint).
* ``coverage``: which hotspots the granted and realised measures of the ledger reach.
* ``demo``: SYNTHETIC buildings, roads, objects and located measures for the demo.
"""
