"""Free text on a public number: what of a stored note the public instance may show.

* A note that came in with an uploaded table was typed by a person about people ("Пациентка …, ИИН …"): it is
  internal, never public.
* Every other note (written by the product's own connectors, snapshot files and RWD runs) is shown only after a
  redaction pass: 12-digit ИИН/БИН numbers, Kazakh phone numbers (+7 7xx …, 8 7xx …), e-mail addresses and web
  addresses whose host is not on the allow-list are replaced by ``[removed]``, and so are counts stated as
  "N of M" (notes of RWD runs before issue 21).
* Bidi control characters (RLO, LRI, ALM …), which can make a note read differently from what it stores, are
  dropped from every text on import (:func:`strip_bidi`) and again here.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

from core.text import strip_bidi

REMOVED = "[removed]"
# Hosts a public note may link to: the publishers of the product's own sources.
DEFAULT_NOTE_HOSTS = frozenset({
    "api.worldbank.org", "data.worldbank.org", "worldbank.org", "who.int", "www.who.int", "data.who.int",
    "ghoapi.azureedge.net", "ourworldindata.org", "stat.gov.kz", "www.stat.gov.kz", "data.egov.kz", "egov.kz",
    "gco.iarc.fr", "gco.iarc.who.int",
})
_IIN = re.compile(r"(?<!\d)\d{12}(?!\d)")  # ИИН (persons) and БИН (organisations): 12 digits
# +7 or 8, then ten digits starting with 7 (mobile 70x/74x/77x, city codes 7xx/7xxx), any separators between.
_PHONE = re.compile(r"(?:\+\s*7|(?<![\d+])8)[\s\-.()]*7(?:[\s\-.()]*\d){9}(?!\d)")
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# "median over 1 of 1 new cancers": how RWD runs before issue 21 stated counts in their notes (stored rows keep
# them until the next run rewrites the note).
_COUNT_OF = re.compile(r"\b\d+ of \d+\b")
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>\"'`]+", re.IGNORECASE)


def _host_allowed(url: str, hosts: Collection[str]) -> bool:
    target = url if "://" in url else "https://" + url
    try:
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or parts.username or parts.password:
        return False
    return any(host == h or host.endswith("." + h) for h in hosts)


def redact(text: str, hosts: Collection[str] = DEFAULT_NOTE_HOSTS) -> str:
    """``text`` with identifying numbers, phone numbers, e-mail addresses and off-list web addresses removed."""
    out = strip_bidi(text)
    out = _URL.sub(lambda m: m.group(0) if _host_allowed(m.group(0).rstrip(".,;:)"), hosts) else REMOVED, out)
    out = _EMAIL.sub(REMOVED, out)
    out = _PHONE.sub(REMOVED, out)
    out = _COUNT_OF.sub(REMOVED, out)
    return _IIN.sub(REMOVED, out)


def public_note(note: object, source_kind: object, hosts: Collection[str] = DEFAULT_NOTE_HOSTS) -> str | None:
    """The note as the public instance shows it: none for an uploaded table's note, else redacted."""
    if not isinstance(note, str) or not note.strip() or source_kind == "upload":
        return None
    return redact(note, hosts) or None
