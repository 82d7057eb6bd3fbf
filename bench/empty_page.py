"""An empty page, routed through ``dashboard.py`` like every page: the baseline of ``bench/pages.py`` and
``bench/load.py`` (registered only when ``DENSAULYQ_BENCH_EMPTY_PAGE=1``)."""
