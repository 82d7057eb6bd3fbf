"""The page registry: every page exists, URLs never collide with Streamlit's legacy file-name routes, and the
public instance registers no page that writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import load_settings
from ui.nav import PAGES, registered_specs

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_page_file_exists_and_url_differs_from_file_name(spec) -> None:
    path = ROOT / spec.path
    assert path.is_file(), f"{spec.path} is registered but missing"
    assert spec.url_path != path.stem, (
        f"{spec.path}: url_path {spec.url_path!r} equals the file name; Streamlit's legacy pages mode would serve "
        "the file without the router on a fresh server")


def test_url_paths_are_unique() -> None:
    paths = [s.url_path for s in PAGES]
    assert len(paths) == len(set(paths))


def test_exactly_one_default_page() -> None:
    assert sum(s.default for s in PAGES) == 1


def test_public_instance_registers_no_page_that_writes() -> None:
    public = load_settings(env={"DENSAULYQ_MODE": "public"})
    internal = load_settings(env={"DENSAULYQ_MODE": "internal"})
    assert not [s.path for s in registered_specs(public) if s.writes]
    # the internal instance registers everything marked for it, writers included
    assert {s.path for s in registered_specs(internal)} == {s.path for s in PAGES if "internal" in s.modes}
