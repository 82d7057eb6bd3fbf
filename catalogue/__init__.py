"""Indicator catalogue: ids, names in en/ru/kk, domain, unit, polarity, definition, source."""

from catalogue.loader import Catalogue, CatalogueError, load_catalogue, load_catalogue_file
from catalogue.model import DOMAIN_NAMES, DOMAINS, Indicator

__all__ = ["DOMAINS", "DOMAIN_NAMES", "Catalogue", "CatalogueError", "Indicator", "load_catalogue",
           "load_catalogue_file"]
