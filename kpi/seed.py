"""First run: load the illustrative example framework and actuals (the KPI tables come from the store's migrations:
``store.schema``, ``alembic upgrade head``)."""

from __future__ import annotations

import threading

import yaml
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from core import provenance_text as texts  # stored in English, shown in the reader's language
from core.access import SYSTEM
from core.paths import DATA_DIR
from kpi.actuals import publish_quarter, save_actual
from kpi.framework import list_kpis, read_framework_file, store_framework
from kpi.schema import audit, kpi_meta, kpis
from store.db import ensure_schema

EXAMPLE_FRAMEWORK = DATA_DIR / "kpi_framework.yaml"
EXAMPLE_ACTUALS = DATA_DIR / "kpi_actuals_illustrative.yaml"
EXAMPLE_REASON = texts.KPI_EXAMPLE_FRAMEWORK_REASON  # "illustrative example framework", stored in English
_lock = threading.Lock()
_ready: set[str] = set()


def seed_example(engine: Engine) -> None:
    """Load the illustrative framework, its actuals (flagged illustrative) and publish its listed quarters."""
    store_framework(engine, SYSTEM, read_framework_file(EXAMPLE_FRAMEWORK), reason=EXAMPLE_REASON)
    doc = yaml.safe_load(EXAMPLE_ACTUALS.read_text(encoding="utf-8"))
    for kpi_id, by_quarter in doc["actuals"].items():
        for quarter, value in by_quarter.items():
            save_actual(engine, SYSTEM, kpi_id, str(quarter), value, expected_version=0,
                        comment=texts.KPI_ILLUSTRATIVE_COMMENT, reason=texts.KPI_EXAMPLE_DATA_REASON,
                        illustrative=True)
    for quarter in doc.get("published", []):
        publish_quarter(engine, SYSTEM, str(quarter))


def refresh_example_names(engine: Engine) -> bool:
    """A store still holding the example framework gets its names as the file now writes them (the first example
    file's flow mappings cut Russian and Kazakh names at their first comma). A framework an admin loaded is never
    touched. True when the names were rewritten."""
    with engine.connect() as conn:
        last = conn.execute(select(audit.c.reason).where(audit.c.action == "load_framework")
                            .order_by(audit.c.id.desc()).limit(1)).scalar_one_or_none()
    if last is None or not last.startswith(EXAMPLE_REASON):
        return False
    example = read_framework_file(EXAMPLE_FRAMEWORK)
    stored = list_kpis(engine)
    if [(k.id, k.names, k.unit_labels) for k in stored] == [(k.id, k.names, k.unit_labels) for k in example]:
        return False
    if [k.id for k in stored] != [k.id for k in example]:
        return False
    store_framework(engine, SYSTEM, example, reason=EXAMPLE_REASON + " (names as written in the file)")
    return True


def _claim(engine: Engine) -> bool:
    """Only one process loads the example: the one whose marker row lands (a second instance sharing the store
    hits the primary key and leaves it alone)."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(kpi_meta).values(key="example_loaded", value=str(EXAMPLE_FRAMEWORK.name)))
    except IntegrityError:
        return False
    return True


def ensure_kpi_schema(engine: Engine, seed: bool = True) -> Engine:
    """The store's schema ready (migrated, or waited for: ``store.db.ensure_schema``) and, on the very first run, the
    illustrative example loaded (once per process and URL)."""
    key = str(engine.url)
    if key in _ready:
        return engine
    with _lock:
        ensure_schema(engine)
        if seed:
            with engine.connect() as conn:
                empty = conn.execute(select(func.count()).select_from(kpis)).scalar_one() == 0
                loaded = conn.execute(select(kpi_meta.c.value).where(kpi_meta.c.key == "example_loaded")).first()
            if loaded and not empty:
                refresh_example_names(engine)
            if empty and not loaded and _claim(engine):
                try:
                    seed_example(engine)
                except Exception:
                    with engine.begin() as conn:  # let the next start try again
                        conn.execute(delete(kpi_meta).where(kpi_meta.c.key == "example_loaded"))
                    raise
        _ready.add(key)
    return engine
