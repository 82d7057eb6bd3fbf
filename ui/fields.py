"""Tables whose columns keep their field ids (tidy exports the importer reads back, the catalogue, the sources):
the label each field and each coded value gets on screen, translated."""

from __future__ import annotations

import pandas as pd

from core.i18n import N_
from ui.context import t

# Column ids of the tidy export (the importer reads them back, so they stay ids in every language) and the label
# each one gets on screen and in the download's metadata sheet.
FIELD_LABELS = {
    "region": N_("Code"), "region_name": N_("Region"), "period": N_("Period"), "value": N_("Value"),
    "numerator": N_("Numerator"), "denominator": N_("Denominator"), "ci_lower": N_("95% CI lower"),
    "ci_upper": N_("95% CI upper"), "synthetic": N_("Illustrative"), "derived": N_("Derived"), "note": N_("Note"),
    "source_title": N_("Source"), "source_url": N_("Source link"), "source_licence": N_("Licence"),
    "retrieved_at": N_("Retrieved"), "id": N_("Id"), "name": N_("Name"), "name_en": N_("Name (English)"),
    "name_ru": N_("Name (Russian)"), "name_kk": N_("Name (Kazakh)"), "domain": N_("Domain"), "unit": N_("Unit"),
    "polarity": N_("Better when"), "value_type": N_("Value type"), "multiplier": N_("Multiplier"),
    "frequency": N_("Frequency"), "level": N_("Level"), "definition": N_("Definition"), "source": N_("Source"),
    "licence": N_("Licence"), "title": N_("Title"), "publisher": N_("Publisher"), "url": N_("Link"),
    "kind": N_("Kind"), "as_of": N_("As of"), "last_attempt_at": N_("Last refresh attempt"), "status": N_("Status"),
    "last_error": N_("Last error"), "indicator_id": N_("Indicator"), "old_value": N_("Old value"),
    "new_value": N_("New value"), "changed_at": N_("Changed at"), "source_id": N_("Source"),
}
CODE_LABELS = {
    "higher_is_better": N_("higher is better"), "lower_is_better": N_("lower is better"), "none": N_("no direction"),
    "annual": N_("annual"), "quarterly": N_("quarterly"), "regional": N_("regions"), "national": N_("national only"),
    "proportion": N_("proportion"), "rate": N_("rate"), "count": N_("count"), "mean": N_("mean"),
    "index": N_("index"), "ratio": N_("ratio"), "snapshot": N_("embedded snapshot"), "api": N_("API"),
    "upload": N_("upload"), "derived": N_("derived"), "synthetic": N_("illustrative"),
}


def labels(frame: pd.DataFrame, **extra) -> dict:
    """column_config: every known column under its translated label (the data keep their ids)."""
    config = {c: t(FIELD_LABELS[c]) for c in frame.columns if c in FIELD_LABELS}
    return {**config, **extra}


def field_legend(frame: pd.DataFrame) -> str:
    return "; ".join(f"{c} = {t(FIELD_LABELS[c])}" for c in frame.columns if c in FIELD_LABELS)


def translated_codes(series: pd.Series) -> pd.Series:
    return series.map(lambda v: t(CODE_LABELS[v]) if v in CODE_LABELS else v)
