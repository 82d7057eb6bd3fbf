"""Source records (title, publisher, URL, licence) for the embedded reference files."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlparse

from core import provenance_text as texts  # stored in English, shown translated (core.provenance_text.localize)

SNAPSHOT_AS_OF = "2026-11-25T00:00:00+00:00"  # the reference files in data/reference were built on this date

ILLUSTRATIVE_SOURCE = {
    "id": "densaulyq-illustrative",
    "title": texts.ILLUSTRATIVE_TITLE,
    "publisher": "Densaulyq",
    "url": None,
    "licence": texts.ILLUSTRATIVE_LICENCE,
    "kind": "synthetic",
}
DERIVED_SOURCE = {
    "id": "densaulyq-derived",
    "title": texts.DERIVED_TITLE,
    "publisher": "Densaulyq",
    "url": None,
    "licence": texts.DERIVED_LICENCE,
    "kind": "derived",
}

_OWID_REPOS = ("PilliSiddharth/My_repository", "aishanibal/OutbreakVision")


def licence_for(url: str) -> str:
    """Terms of a reference row's source, by where it was published."""
    if "github.com/open-data-kazakhstan/" in url:
        return texts.BNS_LICENCE
    if any(repo in url for repo in _OWID_REPOS):
        return texts.OWID_LICENCE
    return texts.QUOTED_LICENCE


def publisher_for(url: str) -> str:
    host = urlparse(url).netloc.removeprefix("www.")
    if host == "github.com":
        owner = urlparse(url).path.strip("/").split("/")[0]
        return "Bureau of National Statistics (via open-data-kazakhstan)" if owner == "open-data-kazakhstan" \
            else f"Our World in Data export (GitHub: {owner})"
    return host


def source_id_for(url: str) -> str:
    """Stable, readable id: host plus a short hash of the URL (``zakon.kz-3f2a1c``)."""
    host = re.sub(r"[^a-z0-9.]+", "-", urlparse(url).netloc.removeprefix("www.").lower())
    return f"{host}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"
