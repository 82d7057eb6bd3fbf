"""The Russian and Kazakh catalogues are complete and sound, names in data are in the right script, numbers and
dates follow the language, and the quarterly KPI report comes out in the chosen language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from core.i18n import (
    P_,
    LocalNumber,
    Message,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    negotiate_language,
    number_separators,
    placeholders,
    translate,
)

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("ru", "kk")
KAZAKH_ONLY = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")
# Official Russian names of the regions formed in 2022 keep their Kazakh spelling (область Жетісу, область Ұлытау:
# the Russian text of the decrees of 3 May 2022); see locales/GLOSSARY.md.
OFFICIAL_KAZAKH_SPELLING = {"Жетісу", "Ұлытау"}
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _template() -> dict[str, object]:
    with open(ROOT / "locales" / "messages.pot", "rb") as fh:
        return {_key(m.id): m.id for m in read_po(fh) if m.id}


def _catalogue(lang: str):
    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


def _forms(string) -> list[str]:
    return list(string) if isinstance(string, (list, tuple)) else [string]


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_template_is_translated(lang: str) -> None:
    catalog = _catalogue(lang)
    translated = {_key(m.id): m for m in catalog if m.id and not m.fuzzy and all(_forms(m.string))}
    missing = sorted(set(_template()) - set(translated))
    assert not missing, (f"{len(missing)} messages have no {lang} translation; run `pybabel update -i "
                         f"locales/messages.pot -d locales -l {lang}` and translate: {missing[:10]}")


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_every_placeholder(lang: str) -> None:
    broken = []
    for m in _catalogue(lang):
        if not m.id:
            continue
        wanted = placeholders(_key(m.id)) | (placeholders(m.id[1]) if isinstance(m.id, tuple) else set())
        for form in _forms(m.string):
            if form and placeholders(form) != wanted:
                broken.append((_key(m.id), form))
    assert not broken, broken[:10]


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_are_the_ones_babel_gives_the_language(lang: str) -> None:
    catalog = _catalogue(lang)
    assert catalog.num_plurals == get_plural(lang).num_plurals
    plural_entries = [m for m in catalog if isinstance(m.id, tuple)]
    assert plural_entries, "no message counts things"
    assert all(len(m.string) == get_plural(lang).num_plurals for m in plural_entries)


def test_russian_counts_take_the_right_form() -> None:
    rows = P_("{n} row", "{n} rows")
    assert [translate(rows, "ru", n=n) for n in (1, 3, 5, 11, 21, 22, 25)] == [
        "1 строка", "3 строки", "5 строк", "11 строк", "21 строка", "22 строки", "25 строк"]
    assert translate(rows, "kk", n=1) == "1 жол" and translate(rows, "kk", n=7) == "7 жол"
    assert translate(rows, "en", n=1) == "1 row" and translate(rows, "en", n=2) == "2 rows"


def test_kazakh_is_not_russian() -> None:
    ru = {_key(m.id): tuple(_forms(m.string)) for m in _catalogue("ru") if m.id}
    kk = {_key(m.id): tuple(_forms(m.string)) for m in _catalogue("kk") if m.id}
    same = sorted(k for k in kk if kk[k] == ru.get(k))
    assert len(same) < 0.05 * len(kk), same


@pytest.mark.parametrize("lang", LANGS)
def test_translations_are_in_cyrillic_without_mixed_words(lang: str) -> None:
    bad = []
    for m in _catalogue(lang):
        if not m.id:
            continue
        for form in _forms(m.string):
            for word in re.findall(r"[\w’]+", form):  # z-оценка: a symbol and a word
                if LATIN.search(word) and CYRILLIC.search(word):
                    bad.append((word, form[:60]))
                if lang == "ru" and KAZAKH_ONLY & set(word) and word not in OFFICIAL_KAZAKH_SPELLING:
                    bad.append((word, form[:60]))
    assert not bad, bad[:10]


def test_region_and_indicator_names_are_in_the_right_script() -> None:
    from geo import REGION_CODES, region_name

    bad = [(c, name) for c in REGION_CODES for name in [region_name(c, "ru")]
           if KAZAKH_ONLY & set(name) and name.removeprefix("область ") not in OFFICIAL_KAZAKH_SPELLING]
    # One pattern for the three regions of 2022, as the decrees name them in Russian
    assert [region_name(c, "ru") for c in ("KZ-10", "KZ-33", "KZ-62")] == ["область Абай", "область Жетісу",
                                                                         "область Ұлытау"]
    assert region_name("KZ-33", "kk") == "Жетісу облысы"
    entries = yaml.safe_load((ROOT / "data" / "indicators.yaml").read_text(encoding="utf-8"))
    for entry in entries:
        for field in ("name", "unit", "definition"):
            for lang in LANGS:
                text = entry[field].get(lang, "")
                assert text, f"{entry['id']}: no {lang} {field}"
                if lang == "ru" and KAZAKH_ONLY & set(text):
                    bad.append((entry["id"], field, text))
                if field != "definition" and LATIN.search(re.sub(r"\d+\.[a-z]\.\d+", "", text)):  # SDG 3.b.1
                    bad.append((entry["id"], field, text))
    assert not bad, bad


def _used(term: str, text: str) -> bool:
    """Every word of the term (or of each of its ' / ' variants) occurs in ``text``, allowing for inflection."""
    for variant in re.sub(r"\(.*?\)", "", term).split(" / "):
        for word in re.findall(r"[\w-]+", variant.lower()):
            if len(word) > 3 and word[:max(4, len(word) - 2)] not in text:
                return False
    return True


def test_glossary_terms_are_the_ones_the_catalogues_use() -> None:
    from geo import REGION_CODES, region_name

    rows = [line.split("|")[1:-1] for line in (ROOT / "locales" / "GLOSSARY.md").read_text(encoding="utf-8")
            .splitlines() if line.startswith("| ") and not line.startswith("| English") and "---" not in line]
    assert len(rows) >= 20
    entries = yaml.safe_load((ROOT / "data" / "indicators.yaml").read_text(encoding="utf-8"))
    texts = {lang: " ".join([*(s for m in _catalogue(lang) if m.id for s in _forms(m.string)),
                             *(e[f][lang] for e in entries for f in ("name", "unit", "definition")),
                             *(region_name(c, lang) for c in REGION_CODES)]).lower() for lang in LANGS}
    unused = [(lang, cells[col].strip()) for cells in rows for col, lang in ((1, "ru"), (2, "kk"))
              if not _used(cells[col].strip(), texts[lang])]
    assert not unused, unused
    assert all(cells[3].strip() for cells in rows), "every term says where it comes from"


def test_numbers_percentages_and_dates_follow_the_language() -> None:
    assert format_number(12345.67, "en", 1) == "12,345.7"
    assert format_number(12345.67, "ru", 1) == "12\xa0345,7" == format_number(12345.67, "kk", 1)
    assert format_percent(0.998, "ru") == "99,8\xa0%" and format_percent(0.95, "en") == "95%"
    assert format_date("2026-11-26", "ru") == "26 нояб. 2026\u202fг."
    assert format_date("2026-11-26", "kk") == "2026\u202fж. 26 қар."
    assert format_date("2026-12-06", "kk") == "2026\u202fж. 6 жел."  # no leading zero in Kazakh
    assert format_datetime("2026-12-06T09:05:00", "kk") == "2026\u202fж. 6 жел., 09:05"
    assert number_separators("kk") == ",\xa0" and number_separators("en") == ".,"


def test_moments_follow_the_language() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 26, 15, 7)
    assert format_datetime(moment, "en") == "Nov 26, 2026, 3:07\u202fPM"
    assert format_datetime(moment, "ru") == "26 нояб. 2026\u202fг., 15:07"
    assert format_datetime(moment, "kk") == "2026\u202fж. 26 қар., 15:07"
    aware = pd.Timestamp("2026-11-26 20:07+05:00")  # shown in UTC, as the store keeps it
    assert format_datetime(aware, "ru") == format_datetime(moment.replace(tzinfo=UTC), "ru")
    assert format_datetime(aware, "ru") == "26 нояб. 2026\u202fг., 15:07"
    assert format_datetime("2026-11-26T15:07:00", "kk") == "2026\u202fж. 26 қар., 15:07"
    assert format_datetime(None, "ru") == format_datetime(pd.NaT, "ru") == "—"


def test_numbers_inside_messages_are_written_the_readers_way() -> None:
    msg = Message("{n} rows", n=LocalNumber(1048576))
    assert msg == "1,048,576 rows"
    size = Message("{size} MB", size=LocalNumber(8.0, 1))
    assert translate(size, "ru") == "8,0\xa0МБ" and translate(size, "en") == "8.0 MB"


def test_upload_rejections_reach_the_reader_in_their_language() -> None:
    from data_sources.importer import import_table
    from data_sources.limits import UploadLimits
    from data_sources.tables import FileRejected, read_grid

    with pytest.raises(FileRejected) as err:
        read_grid(b"", "empty.csv")
    assert str(err.value) == "empty.csv: the file is empty" and err.value.file == "empty.csv"
    assert translate(err.value.reason, "ru") == "файл пуст" and translate(err.value.reason, "kk") == "файл бос"
    long = b"region,period,value\n" + b"Akmola,2022,1\n" * 1200
    result = import_table(long, "long.csv", None, None, indicator="physicians_count", dry_run=True,
                          limits=UploadLimits(max_rows=1000))
    reason = result.issues[0].reason
    assert reason == "the table has 1,201 rows; uploads are limited to 1,000"
    assert translate(reason, "ru") == "таблица: строк — 1\xa0201; для загрузки допускается не более 1\xa0000"
    assert translate(reason, "kk") == "кесте: жолдар саны — 1\xa0201; жүктеуге 1\xa0000 жолдан аспауы керек"
    bad = import_table("Регион;2024\nАкмолинская;12,5\nАктюбинская;1,5\nАтырауская;1.5\n".encode(), "n.csv", None,
                       None, indicator="physicians_count", dry_run=True)
    assert translate(bad.issues[0].reason, "ru") == ("'1.5' — не число в записи, принятой в этом файле (дробная часть "
                                                     "отделяется символом ',')")


def test_tables_show_localized_numbers_but_keep_them_numeric() -> None:
    from ui.tables import localized

    df = pd.DataFrame({"value": [1234.5, 9.25], "name": ["a", "b"]})
    styled = localized(df, "ru", {"value": 1})
    shown = styled.to_html()
    assert "1\xa0234,5" in shown and "9,2" in shown  # what the reader sees
    assert styled.data["value"].dtype.kind == "f"  # what sorting uses


@pytest.mark.parametrize(("header", "expected"), [
    ("kk-KZ,kk;q=0.9,ru;q=0.8,en;q=0.7", "kk"), ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"), ("de-DE,de;q=0.9", "en"),
    ("en;q=0.5, ru;q=0.9", "ru"), ("", "en"), (None, "ru"), ("garbage;q=x", "en"),
])
def test_accept_language_picks_a_product_language(header, expected) -> None:
    assert negotiate_language(header, "ru" if header is None else "en") == expected


@pytest.fixture(scope="module")
def report_inputs(tmp_path_factory: pytest.TempPathFactory):
    from data_sources.seed import init_store
    from kpi import actuals_for, ensure_kpi_schema, list_kpis
    from store import make_engine, observations_for

    db_url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'store.sqlite'}"
    engine = ensure_kpi_schema(init_store(make_engine(db_url)))
    kpis = list_kpis(engine)
    obs = observations_for(engine, region="KZ")
    return kpis, {k.id: actuals_for(engine, k, obs, published_only=True) for k in kpis}


@pytest.mark.parametrize("lang", LANGS)
def test_quarterly_report_comes_out_in_the_chosen_language(report_inputs, lang: str) -> None:
    from kpi.report import quarterly_report_excel, quarterly_report_html

    kpis, acts = report_inputs
    html = quarterly_report_html(kpis, acts, "2025Q4", lang=lang, public=True)
    assert f'<html lang="{lang}">' in html
    assert translate("Partnership KPIs: quarterly report {quarter}", lang, quarter="2025Q4") in html
    assert all(k.name(lang) in html for k in kpis)
    body = re.sub(r"<[^>]+>|<style>.*?</style>", " ", html.split("</style>")[1])
    english = [w for w in re.findall(r"[A-Za-z]{3,}", body) if w not in {"RWD", "RWE"}]
    assert not english, english[:10]
    book = openpyxl.load_workbook(io.BytesIO(quarterly_report_excel(kpis, acts, "2025Q4", lang=lang, public=True)))
    assert book.sheetnames == [translate("data", lang), translate("about", lang)]
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert translate("KPI", lang) in header and translate("Status", lang) in header
    assert not [h for h in header if LATIN.search(str(h))], header
    about = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value)
    assert not re.search(r"\b(?:report|published|quarters|generated)\b", about), about



def test_import_and_kpi_validation_messages_reach_the_reader_in_their_language(report_inputs) -> None:
    from data_sources.validation import validate
    from kpi.errors import ValidationError

    frame = pd.DataFrame({"indicator_id": ["physicians_per_10k"], "region": ["KZ-11"], "period": ["2022"],
                          "value": [-3.0]})
    reason = validate(frame, "upload.csv").issues[0].reason
    assert reason == "-3 is negative; a rate cannot be below 0"  # English where nothing translates it
    assert translate(reason, "ru") == "-3 — отрицательное значение; показатель типа «rate» не может быть меньше 0"
    kpis, _acts = report_inputs
    with pytest.raises(ValidationError) as err:
        kpis[0].check_value("много")
    assert translate(err.value.reason, "kk") == "'много' — сан емес"


@pytest.mark.parametrize("lang", [*LANGS, "en"])
def test_gettext_msgfmt_accepts_the_catalogue(lang: str, tmp_path: Path) -> None:
    """gettext's own checker (``msgfmt -c``) finds no error: no printf check on messages that only look like one
    ("95% limit"), a real header with the revision date set. Refresh with ``python scripts/catalogues.py update``."""
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("gettext's msgfmt is missing: apt-get install -y gettext (.ci/run installs it)")
    path = ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po"
    run = subprocess.run([msgfmt, "-c", "-o", str(tmp_path / "messages.mo"), str(path)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "YEAR-MO-DA" not in header and "PROJECT VERSION" not in header, header
    assert "Project-Id-Version: Densaulyq" in header


# Terms a native-level review rejected (issue 20, item 9), with the term that replaces them (locales/GLOSSARY.md).
REJECTED_TERMS = {
    "kk": {"аңыз": "шартты белгілер (legend)", "мәртебе": "күйі (RAG status)",
           "айтарлықтай": "статистикалық тұрғыдан маңызды (significantly)", "ЖБА": "ЖЕА (NCD)",
           "генерация": "жасалған (generated)", "үзінді": "деректер жиынтығы (data extract)",
           "қатер бар": "тәуекел бар (at risk)"},
    "ru": {"раскладки клавиатуры": "клавиатурные последовательности",
           "Единиц при ориентире": "Единиц нужно по ориентиру", "значений значений": "значений (a doubled word)",
           "Прогресс (доля пути)": "Пройденная доля пути к цели",
           "Доля иллюстративных»": "Доля иллюстративных значений", "по стране": "общенациональное значение",
           "в целом по Казахстану": "общенациональное значение", "Жетысуская": "область Жетісу",
           "Улытауская": "область Ұлытау", "Единица измерения: {unit}": "значения в виде «10 {unit}»"},
}


def _shipped_texts(lang: str) -> list[str]:
    """Every translation of the catalogue and every text of the language in the shipped data files."""
    texts = [form for m in _catalogue(lang) if m.id for form in _forms(m.string)]
    for name in ("indicators.yaml", "kpi_framework.yaml", "kpi_actuals_illustrative.yaml", "rwd_definitions.yaml"):
        path = ROOT / "data" / name
        texts += re.findall(rf"\b{lang}: ([^\n]*)", path.read_text(encoding="utf-8")) if path.exists() else []
    texts += [line for line in (ROOT / "data" / "geo" / "kz_adm1_names.csv").read_text(encoding="utf-8")
              .splitlines()[1:] for line in [",".join(line.split(",")[:4])]]
    return texts


@pytest.mark.parametrize("lang", LANGS)
def test_rejected_terms_are_gone(lang: str) -> None:
    """The terms a native-level review rejected appear in no translation and no shipped data text (the Kazakh
    word for *legend* is "шартты белгілер", not "аңыз", a myth; a RAG status is "күйі", not "мәртебе", a rank)."""
    found = [(term, text[:80]) for text in _shipped_texts(lang) for term in REJECTED_TERMS[lang]
             if re.search(rf"(?<![а-яәғқңөұүһі]){re.escape(term)}", text, re.IGNORECASE)]
    assert not found, [(term, REJECTED_TERMS[lang][term], text) for term, text in found[:10]]
