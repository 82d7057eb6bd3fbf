"""The public instance has no write path: every registered page and every widget is enumerated.

Generic on purpose: pages added later by anyone are covered, because the pages come from ``ui.nav``'s registry
and the widgets from what each page actually renders.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import streamlit
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.access import ANONYMOUS, PermissionDenied
from core.config import load_settings
from ui.nav import PAGES, registered_specs

ROOT = Path(__file__).resolve().parents[2]
WRITE_WIDGETS = ("file_uploader", "data_editor", "form", "form_submit_button", "camera_input", "audio_input",
                 "chat_input")


def store_digest(url: str) -> str:
    """A fingerprint of every row of every table in the store."""
    from store import make_engine
    from store.schema import metadata  # every table of the product

    engine = make_engine(url)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for name in sorted(metadata.tables):
            digest.update(name.encode())
            for row in conn.execute(select(metadata.tables[name])):
                digest.update(repr(tuple(row)).encode())
    engine.dispose()
    return digest.hexdigest()


@pytest.fixture()
def public(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    streamlit.cache_resource.clear()
    yield db_url
    streamlit.cache_resource.clear()


def test_no_page_that_writes_is_registered_in_public_mode(public):
    specs = registered_specs(load_settings())
    assert specs and not [s.path for s in specs if s.writes]
    assert {s.path for s in PAGES if s.writes} and not {s.path for s in PAGES if s.writes} & {s.path for s in specs}


def _run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, f"{page}: {at.exception}"
    return at


@pytest.mark.parametrize("spec", [s for s in PAGES if "public" in s.modes and not s.writes], ids=lambda s: s.url_path)
def test_public_page_has_no_write_path(public, spec):
    _run(spec.path)  # the very first run creates and seeds the stores; after that nothing may change them
    before = store_digest(public)
    at = _run(spec.path)
    for kind in WRITE_WIDGETS:
        assert not at.get(kind), f"{spec.path} shows a {kind} in the public instance"
    assert not at.get("text_input") or all(w.proto.type != w.proto.PASSWORD for w in at.get("text_input"))
    buttons = [b.key or b.label for b in at.button]
    for key in buttons:  # press every button; none may change stored data
        at = _run(spec.path)
        matches = [b for b in at.button if (b.key or b.label) == key]
        if matches:
            matches[0].click()
            at.run()
            assert not at.exception, f"{spec.path}: button {key}: {at.exception}"
    assert store_digest(public) == before, f"{spec.path} changed the store in the public instance"


def test_domain_writes_as_the_public_identity_are_denied(public):
    from auth import add_user
    from kpi import ensure_kpi_schema, load_framework_text, publish_quarter, save_actual
    from store import make_engine

    engine = ensure_kpi_schema(make_engine(public))
    before = store_digest(public)
    for call in (lambda: save_actual(engine, ANONYMOUS, "rwe_registries_linked", "2026Q3", 6, 0),
                 lambda: publish_quarter(engine, ANONYMOUS, "2026Q2"),
                 lambda: load_framework_text(engine, ANONYMOUS, "kpis: []"),
                 lambda: add_user(Path(public.removeprefix("sqlite:///")).with_name("u.json"), ANONYMOUS, "x",
                                  "password1", "admin")):
        with pytest.raises(PermissionDenied, match="read-only"):
            call()
    assert store_digest(public) == before
