"""The checks past one process: the stream checks split into parts that fold apart and
merge back into stream order (``spread``), and the run on a Dask cluster (``cluster``).
``runner`` runs the same parts in local processes."""
