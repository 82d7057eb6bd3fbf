"""Where the product's own files live. Nothing here points outside the repository."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
REFERENCE_DIR = DATA_DIR / "reference"
LOCALES_DIR = REPO_ROOT / "locales"
CONFIG_FILE = REPO_ROOT / "config.toml"
