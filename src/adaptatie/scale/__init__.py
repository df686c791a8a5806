"""Summaries of rasters of any size on a Dask distributed cluster.

The zonal engine's unit of work is a window of the raster: ``tasks`` holds what a worker runs
(one strip of the raster in, the :class:`~adaptatie.zonal.Partials` of the zones it meets out);
``cluster`` connects to a scheduler or starts a local cluster, plans the strips, submits them and
merges the partials on the client. Results equal those of the single-process engine: the rule per
zone (exact or pixel centre) is chosen once for the whole raster, so every strip counts alike.

Dask is imported only here, and only when a summary asks for it.
"""
