"""Translation: the committed message catalogue holds every user-facing text, and translate() reads catalogues
with an English fallback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

import core.i18n
from catalogue import DOMAIN_NAMES
from core.i18n import translate
from ui.badges import ILLUSTRATIVE_HELP
from ui.nav import PAGES, SECTION_TITLES

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "locales" / "messages.pot"
UI_DIRS = ("pages", "ui", "charts")


def _pot_ids(path: Path = POT) -> set[str]:
    with open(path, "rb") as fh:
        return {str(m.id) for m in read_po(fh) if m.id}


def _extracted() -> dict[str, set[str]]:
    """msgid -> files, extracted with Babel's API and the project's babel.cfg (as `pybabel extract -k t` does)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    keywords = {**DEFAULT_KEYWORDS, "t": None}
    found: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.setdefault(str(message), set()).add(filename.replace("\\", "/"))
    return found


def _literal_t_calls(path: Path) -> set[str]:
    """Every t("literal") in a file, including calls inside f-strings (which Babel's tokenizer cannot see)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)}


def test_every_extracted_message_is_in_the_committed_template() -> None:
    extracted = _extracted()
    files = set().union(*extracted.values())
    assert "ui/router.py" in files
    assert any(f.startswith("pages/") for f in files) and any(f.startswith("ui/") for f in files)
    assert not any(f.startswith("tests/") for f in files)
    missing = sorted(set(extracted) - _pot_ids())
    assert not missing, f"run `pybabel extract -F babel.cfg -k t -o locales/messages.pot .`; missing: {missing}"


UI_FILES = [ROOT / "dashboard.py", *(f for d in UI_DIRS for f in sorted((ROOT / d).rglob("*.py")))]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_translated_text_hides_from_extraction(path: Path) -> None:
    missing = sorted(_literal_t_calls(path) - _pot_ids())
    assert not missing, f"{path.relative_to(ROOT)}: t() texts not in messages.pot (inside an f-string?): {missing}"


def test_texts_translated_from_data_are_in_the_template() -> None:
    pot = _pot_ids()
    dynamic = {*DOMAIN_NAMES.values(), ILLUSTRATIVE_HELP, *SECTION_TITLES,
               *(p.title for p in PAGES), *(p.section for p in PAGES)}
    assert not sorted(dynamic - pot)


def _metadata_keys(path: Path) -> set[str]:
    """The keys of every dict literal a page passes to download_buttons as its metadata (third argument)."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "download_buttons":
            meta = node.args[2] if len(node.args) > 2 else next((k.value for k in node.keywords
                                                                  if k.arg == "metadata"), None)
            if isinstance(meta, ast.Dict):
                keys |= {k.value for k in meta.keys if isinstance(k, ast.Constant)}
    return keys


def test_every_download_metadata_field_has_a_translated_name() -> None:
    from ui.downloads import METADATA_FIELDS

    used = {path.name: _metadata_keys(path) for path in sorted((ROOT / "pages").glob("*.py"))}
    assert "national value" in used["regional_map.py"] and "weights" in used["resilience_index.py"]
    unnamed = {page: sorted(keys - set(METADATA_FIELDS)) for page, keys in used.items() if keys - set(METADATA_FIELDS)}
    assert not unnamed, f"add these metadata keys to ui.downloads.METADATA_FIELDS: {unnamed}"
    for lang, sample in (("ru", "Общенациональное значение"), ("kk", "Ел бойынша мән")):
        assert translate(METADATA_FIELDS["national value"], lang) == sample
        assert all(translate(label, lang) != label for label in METADATA_FIELDS.values()), lang


def test_english_catalogue_is_up_to_date_with_the_template() -> None:
    assert _pot_ids(ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po") >= _pot_ids()


@pytest.fixture()
def ru_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    catalog = Catalog(locale="ru")
    catalog.add("Regional map", "Карта регионов")
    catalog.add("{n} rows", "{n} строк")
    catalog.add("Compare", "Сравнить", flags=["fuzzy"])  # a fuzzy guess is not shown to users
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.po", "wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(core.i18n, "LOCALES_DIR", tmp_path)
    core.i18n._messages.cache_clear()
    yield
    core.i18n._messages.cache_clear()


def test_translate_reads_the_catalogue_and_falls_back_to_english(ru_catalogue) -> None:
    assert translate("Regional map", "ru") == "Карта регионов"
    assert translate("{n} rows", "ru", n=12) == "12 строк"
    assert translate("Data & sources", "ru") == "Data & sources"  # not translated yet: English
    assert translate("Compare", "ru") == "Compare"  # fuzzy: English
    assert translate("Regional map", "kk") == "Regional map"  # no Kazakh catalogue: English
    assert translate("Regional map", "de") == "Regional map"  # not a product language
    assert translate("{n} rows", "en", n=3) == "3 rows"


def test_shipped_english_catalogue_leaves_texts_unchanged() -> None:
    core.i18n._messages.cache_clear()
    assert translate("Regional map", "en") == "Regional map"
    assert translate("{source}: stale since {date} (last refresh failed: {error})", "en", source="BNS",
                     date="2026-01-01", error="timeout") == "BNS: stale since 2026-01-01 (last refresh failed: timeout)"


def test_no_translated_text_sits_inside_an_f_string() -> None:
    """pybabel does not read the expressions of an f-string: a ``t("Password")`` placed there never reaches the
    catalogue and stays English on every screen (the log-in form's label did, issue 20): also ``texts.t(…)``
    method calls and files outside the UI folders."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if {"tests", "var", "bench", ".git"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in (n for n in ast.walk(node) if isinstance(n, ast.Call) and n.args):
                name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                text = call.args[0]
                if name in ("t", "translate") and isinstance(text, ast.Constant) and text.value not in _pot_ids():
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno}: {text.value!r}")
    assert not found, found
