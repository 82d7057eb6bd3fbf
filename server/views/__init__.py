"""Public views: server-rendered pages over the read model (``/view/…``), the sitemap and ``robots.txt``."""
