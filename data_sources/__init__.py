"""Fetchers and importers: the embedded snapshot, API connectors, file imports, and the refresh CLI."""
