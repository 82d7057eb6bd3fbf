"""What the app's pages and the embeds (``server.embed``) both use: the texts both show (``share.texts``) and the
map-only plotly.js build both load (``share.map_bundle``).

A neutral package below ``ui`` and ``server`` (tests/project/test_architecture.py: neither may import the other), so the
map page can name the bundle's URL and the map's alternative text without importing the web server.
"""
