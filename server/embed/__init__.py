"""Embeddable views, ``/embed/…``: self-contained HTML pages of the map (and a region's trend) for an ``<iframe>``
on other sites, with plotly.js served by this server (no CDN). The only pages that may be framed."""
