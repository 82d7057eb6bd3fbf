"""Every page rendered in Russian and in Kazakh (AppTest, internal instance with an admin so the writing pages show
too): no English UI text may remain. A text of the template shown untranslated, or a string that was never marked
for translation, shows up as a word in Latin script; only proper names, units and codes are allowed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from core.access import Identity
from core.i18n import number_separators
from core.provenance_text import localize
from tests.figures import page_figures
from ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Identity("ayla", "admin")

# Proper names, brands, file formats, codes and units that stay in Latin script in Russian and Kazakh texts.
ALLOWED_LATIN = {
    "Densaulyq", "OpenStreetMap", "openstreetmap", "org", "copyright", "ODbL", "CSV", "Excel", "HTML", "PDF", "API",
    "YAML", "UTF", "RWD", "RWE", "README", "JSON", "GeoJSON", "ETag", "xlsx", "xls", "https", "data",
    "kpi_framework", "yaml", "config", "toml", "auth", "OpenAPI", "cookie", "curl", "pandas",
    "roles", "region", "period", "value", "indicator_id", "KZ", "SE", "CC", "BY", "II", "III", "IV",
    "TXT", "XLS", "XLSX", "YML", "OMOP", "CDM", "DuckDB", "Spark", "Parquet", "PostgreSQL", "Athena", "OHDSI",
    "SNOMED", "LOINC", "PNG", "SVG",
}
# Keys of element protos that hold ids, icons, formats or data rather than text a reader sees.
SKIP_KEYS = {"id", "formId", "icon", "type", "format", "key", "data", "spec", "url", "href", "pageScriptHash",
             "urlPath", "pageName", "page", "args", "config", "theme", "columns", "arrowData", "styledCells", "width",
             "height", "stepSize", "accept", "contentType", "fileName", "color", "cssClass", "deltaColor", "dtype",
             "value", "autocomplete", "default", "rawValues", "tag", "deferredFileId", "queryString"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
# Markup, not words: HTML tags, Plotly template fields, Streamlit badges and icons, enum names in protos.
MARKUP = re.compile(r"(?s:<style\b.*?</style>)|(?s:<script\b.*?</script>)|"  # a style sheet, a script
                    r"<[^>]*>|%\{[^}]*\}|:[a-z]+-badge\[|:material/\w+:|\b[A-Z][A-Z_]+\b(?=$)|^[A-Z_]+$"
                    r"|`[^`]*`|\]\([^)]*\)|https?://\S+|/[\w./-]*\?\S*")  # inline code, link targets, URLs
# The language selector names every language in its own script, on purpose.
OWN_SCRIPT = ("Language · Язык · Тіл", "English")


def _strings(node: object, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in SKIP_KEYS:
                yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        yield node


def _plotly_strings(spec: str) -> Iterator[str]:
    fig = json.loads(spec)
    layout = fig.get("layout", {})
    for part in ("title", "xaxis", "yaxis", "legend", "coloraxis"):
        node = layout.get(part) or {}
        title = node.get("title") if part != "title" else node
        if isinstance(title, dict) and title.get("text"):
            yield title["text"]
    for ann in layout.get("annotations", []):
        yield ann.get("text", "")
    for trace in fig.get("data", []):
        for field in ("name", "hovertemplate"):
            if isinstance(trace.get(field), str):
                yield trace[field]
        for field in ("text", "hovertext"):
            values = trace.get(field)
            if isinstance(values, list):
                yield from (v for v in values if isinstance(v, str))


def page_texts(at: AppTest) -> list[str]:
    """Every text a reader sees on the page: labels, help, options, captions, headers, chart titles and hovers
    (table cells and data-owned texts such as source titles are not UI texts)."""
    found: list[str] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", "")
        if kind == "code":  # code samples (curl, pandas, an embed snippet) are code in every language
            continue
        if kind == "plotly_chart":
            found.extend(_plotly_strings(proto.spec))
            continue
        if kind == "bidi_component":  # the map (ui.map_chart): its figure and texts, not the component's code
            payload = json.loads(proto.bytes)
            found.extend([*_plotly_strings(json.dumps(payload["figure"])), payload["label"], payload["error"]])
            continue
        if kind in ("arrow_data_frame", "dataframe"):
            config = json.loads(proto.columns or "{}")
            for column in node.value.columns:
                label = (config.get(str(column)) or {}).get("label")
                found.append(str(label if label else column))
            continue
        found.extend(_strings(MessageToDict(proto)))
        if kind in ("selectbox", "multiselect", "radio"):
            found.extend(str(o) for o in getattr(node, "options", []))
    return [s for s in found if s.strip()]


def _walk(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _data_strings() -> set[str]:
    """Texts that belong to the data (source titles, publishers, licences, notes, KPI owners and definitions):
    they are shown as stored, not translated."""
    from data_sources.seed import open_store
    from kpi import ensure_kpi_schema, list_kpis
    from ui.context import settings

    engine = open_store(settings().database_url)
    import readmodel
    from ui.data import catalogue

    policy = readmodel.policy_for(settings(), catalogue())
    sources = readmodel.sources(engine, policy)
    obs = readmodel.observations(engine, policy, None, None, None)
    out = {str(v) for col in ("title", "publisher", "licence", "last_error") if col in sources
           for v in sources[col].dropna()}
    out |= {str(v) for col in ("source_title", "note", "source_licence") if col in obs for v in obs[col].dropna()}
    out |= {s[:n] for s in list(out) for n in (80, 90)}  # captions and hovers cut long source titles
    out |= {ADMIN.user}
    for kpi in list_kpis(ensure_kpi_schema(engine)):
        out |= {str(v) for v in (kpi.owner, kpi.definition, kpi.data_source) if v}
    for ind in catalogue().values():
        out |= {ind.licence, ind.id}
    # Texts the product writes itself (illustrative and derived sources, their licences, notes) are no data
    # exemption: they are shown in the reader's language (core.provenance_text), publications' titles as published.
    return {s for s in out if s and localize(s, "ru") == s}


# Proper names of several words that stay in Latin script (a product, a programme's own name, a repository).
PROPER_NAMES = ("OHDSI Data Quality Dashboard", "Our World in Data", "Young Health Program", "open-data-kazakhstan")


def english_words(texts: list[str], data: set[str]) -> list[tuple[str, str]]:
    bad = []
    data = set(data) | set(PROPER_NAMES)
    for text in texts:
        if text in OWN_SCRIPT or MARKUP.fullmatch(text):
            continue
        # markdown escapes and the word joiner that keeps an address from being linked (core.text.plain) are not text
        text = MARKUP.sub(" ", text.replace("\u2060", "")).replace("\\", "")
        for item in sorted(data, key=len, reverse=True):
            if item in text:
                text = text.replace(item, " ")
        text = re.sub(r"KZ-[A-Z0-9]+|\d{4}Q\d|:material/\w+:", " ", text)
        for word in LATIN_WORD.findall(text):
            if word not in ALLOWED_LATIN and len(word) > 1 and "_" not in word:  # ci_lower: a field id
                bad.append((word, text[:120]))
    return bad


@pytest.fixture()
def internal_app(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path):
    config = (ROOT / "config.toml").read_text(encoding="utf-8").replace(
        'users_file = "var/users.json"', f'users_file = "{tmp_path / "users.json"}"')
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    monkeypatch.setenv("DENSAULYQ_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    monkeypatch.delenv("DENSAULYQ_LANGUAGE", raising=False)
    streamlit.cache_resource.clear()
    yield
    streamlit.cache_resource.clear()


def _session(lang: str) -> AppTest:
    """One session of an administrator who opened the app with ``?lang=``; pages are visited in turn."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["identity"] = ADMIN
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_page_speaks_the_chosen_language(internal_app, lang: str) -> None:
    from core.i18n import _messages

    english = {msgid for msgid in _pot_ids() if LATIN_WORD.search(msgid)}
    data = None
    failures: dict[str, list] = {}
    at = _session(lang)
    for spec in PAGES:
        at.switch_page(spec.path)
        at.run()
        assert not at.exception, (spec.path, [e.message for e in at.exception])
        assert at.session_state["lang"] == lang, spec.path  # the choice survives navigation
        data = data if data is not None else _data_strings()
        texts = page_texts(at)
        assert texts, spec.path
        for figure in page_figures(at):  # axes and hover numbers: drawn with ui.charts.show_chart or the map
            separators = figure["layout"].get("separators")
            assert separators == number_separators(lang), (spec.path, separators)
        shown_english = sorted({s for s in texts if s in english and s not in _messages(lang).values()})
        words = english_words(texts, data)
        if shown_english or words:
            failures[spec.url_path] = shown_english[:5] + sorted(set(words))[:40]
    assert not failures, "\n".join(f"{page}: {found}" for page, found in failures.items())


def _pot_ids() -> set[str]:
    from babel.messages.pofile import read_po

    with open(ROOT / "locales" / "messages.pot", "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_tooltips_are_among_the_texts_checked(internal_app) -> None:
    """help= texts (the tooltips) are read like every other text of a page."""
    at = _session("ru")
    at.switch_page("pages/sources_and_data.py")
    at.run()
    helps = [MessageToDict(node.proto).get("help") for node in _walk(at._tree) if getattr(node, "proto", None)
             is not None and MessageToDict(node.proto).get("help")]
    assert helps and set(helps) <= set(page_texts(at))


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_real_world_data_page_with_a_run_speaks_the_language(internal_app, db_url: str, tmp_path: Path,
                                                               lang: str) -> None:
    """After a run (a synthetic extract computed into the store): the run, its checks, every definition's title,
    denominator and note, its card and its sources in the language."""
    from tests.pages.test_real_world_data import _store_with_one_run

    _store_with_one_run(db_url, tmp_path)
    at = _session(lang)
    at.switch_page("pages/real_world_data.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    texts = page_texts(at)
    assert any("%" in str(m.value) for m in at.metric), [m.value for m in at.metric]
    assert not [m.value for m in at.metric if re.search(r"\d\.\d", str(m.value))]  # "61,8 %", no dot
    words = english_words(texts, _data_strings())
    assert not words, sorted(set(words))[:40]


def _visible(page: str) -> list[str]:
    """The texts of an HTML page a reader sees (scripts, styles and code left out), one per element."""
    import html as html_lib

    body = re.sub(r"<(script|style|code)\b.*?</\1>", " ", page, flags=re.S)
    return [html_lib.unescape(s).strip() for s in re.split(r"<[^>]+>", body) if s.strip()]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_embeds_and_the_log_in_form_speak_the_language(internal_app, db_url: str, lang: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from server.login_page import Texts, login_html
    from tests.open_data_helpers import route_client

    _session(lang)  # seeds the store
    data = _data_strings()
    monkeypatch.setenv("DENSAULYQ_MODE", "public")  # embeds of the public instance (the internal one asks a log-in)
    api = route_client()
    pages = {path: api.get(f"{path}&lang={lang}").text for path in (
        "/embed/map?indicator=breast_cancer_screening_coverage_pct&period=2025Q4",
        "/embed/map?indicator=physicians_per_10k&period=2022",
        "/embed/trend?indicator=hospital_beds_per_10k&region=KZ-75")}
    pages["log-in form"] = login_html(Texts(lang), "token", "/map")
    failures = {name: sorted(set(english_words(_visible(page), data)))[:20] for name, page in pages.items()}
    assert not any(failures.values()), failures
