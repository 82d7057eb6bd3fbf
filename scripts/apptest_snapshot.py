"""A stable text of what every page shows under Streamlit's AppTest, to compare two versions of the code.

Every page of the registry (``ui.nav.PAGES``) is run through the router (``dashboard.py``) on a fresh SQLite store
seeded from the embedded snapshot: in the public instance (English and Russian) and in the internal instance logged
in as an admin (who sees every page). For each run the script writes the elements in page order: titles, headers,
markdown, captions, notices, metrics, widgets (label, options, value), table and data-frame contents (as CSV),
Plotly charts (title, axis titles, trace names and sizes) and the map component (its label and figure's title).
Element ids, uuids and other per-run values are left out, and clock times (``2026-12-07 06:18:44.213337``: when
the store was seeded, shown in audit trails) are written ``<time>``, so two runs of the same code give the same
text.

    python scripts/apptest_snapshot.py > before.txt        # on one checkout
    python scripts/apptest_snapshot.py > after.txt         # on another
    diff before.txt after.txt                              # empty: no page output changed

``--pages overview,regional_map`` limits the run to some page files; ``--modes public`` to one instance.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = (("public", "en"), ("public", "ru"), ("internal", "en"))
CLOCK_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)?")


def stable(text: str) -> str:
    """``text`` with clock times (of this run's seeding or writes) written ``<time>``."""
    return CLOCK_TIME.sub("<time>", text)


def _figure_text(fig: dict[str, Any]) -> str:
    layout = fig.get("layout", {})

    def title(part: Any) -> str:
        return (part.get("text", "") if isinstance(part, dict) else str(part or "")) if part else ""

    axes = sorted((k, title(v.get("title"))) for k, v in layout.items()
                  if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict))
    traces = [(tr.get("type", ""), tr.get("name", ""), len(tr.get("x") or tr.get("y") or tr.get("locations")
                                                           or tr.get("customdata") or [])) for tr in fig["data"]]
    notes = [a.get("text", "") for a in layout.get("annotations", [])]
    return json.dumps({"title": title(layout.get("title")), "axes": axes, "traces": traces, "notes": notes},
                      ensure_ascii=False, sort_keys=True)


def _frame_text(value: Any) -> str:
    import pandas as pd

    if hasattr(value, "data") and not isinstance(value, pd.DataFrame):  # a Styler
        value = value.data
    if isinstance(value, pd.DataFrame):
        return value.to_csv(index=False, lineterminator="\n")
    return repr(value)


def _element_lines(node: Any) -> list[str]:
    kind = node.type
    if kind in ("dataframe", "arrow_data_frame", "table", "arrow_table"):
        return [f"[{kind}]", _frame_text(node.value).rstrip("\n")]
    if kind == "plotly_chart":
        return [f"[plotly_chart] {_figure_text(json.loads(node.proto.spec))}"]
    if kind == "bidi_component":
        try:
            payload = json.loads(node.proto.bytes)
        except (ValueError, AttributeError):
            return [f"[bidi_component] {getattr(node.proto, 'component_name', '')}"]
        return [f"[bidi_component] {node.proto.component_name} label={payload.get('label')!r} "
                f"error={payload.get('error')!r} figure={_figure_text(payload['figure'])}"]
    if kind == "metric":
        return [f"[metric] {node.label} = {node.value} ({node.delta})"]
    parts = []
    for name in ("label", "options", "value", "body", "help"):
        try:
            got = getattr(node, name)
        except Exception:  # a property this element does not support
            continue
        if got is None or callable(got):
            continue
        if name == "value" and kind in ("download_button",):
            continue  # the file itself: a workbook carries its creation time
        parts.append(f"{name}={got!r}")
    if kind == "html":
        parts = [f"body={node.proto.body!r}"]
    if kind in ("text", "markdown", "caption", "title", "header", "subheader", "info", "warning", "error",
                "success", "exception", "code", "latex"):
        parts = [repr(getattr(node, "value", ""))]
    if not parts:
        parts = [type(node).__name__]
    return [f"[{kind}] " + " ".join(parts)]


def _walk(block: Any, depth: int = 0) -> Iterator[str]:
    from streamlit.testing.v1.element_tree import Block

    for index in sorted(block.children):
        child = block.children[index]
        pad = "  " * depth
        if isinstance(child, Block):
            label = getattr(child.proto, child.type, None) if child.proto is not None else None
            text = getattr(label, "label", "") if label is not None else ""
            yield f"{pad}<{child.type}{' ' + repr(text) if text else ''}>"
            yield from _walk(child, depth + 1)
        else:
            for line in _element_lines(child):
                yield from (pad + part for part in line.split("\n"))


def _page_run(page: str, mode: str, lang: str) -> list[str]:
    import streamlit
    from streamlit.testing.v1 import AppTest

    from tests.kpi_helpers import ADMIN

    os.environ["DENSAULYQ_MODE"] = mode
    streamlit.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["lang"] = lang
    if mode == "internal":
        at.session_state["identity"] = ADMIN
    at.run()
    at.switch_page(page)
    at.run()
    lines = [f"=== {page} · {mode} · {lang}"]
    if at.exception:
        lines += [f"[exception] {e.message}" for e in at.exception]
    lines += list(_walk(at._tree))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="", help="comma-separated page file stems (default: every page)")
    parser.add_argument("--modes", default="public,internal")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        config = (ROOT / "config.toml").read_text(encoding="utf-8").replace(
            'users_file = "var/users.json"', f'users_file = "{Path(tmp) / "users.json"}"')
        (Path(tmp) / "config.toml").write_text(config, encoding="utf-8")
        os.environ["DENSAULYQ_CONFIG"] = str(Path(tmp) / "config.toml")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        os.environ.pop("DENSAULYQ_LANGUAGE", None)
        from ui.nav import PAGES

        # A first visit to a KPI page completes the store (the example KPI framework), which changes its data
        # version: done before the runs that are written out, so every run reads one version of the store.
        _page_run("pages/kpi_scorecard.py", "public", "en")
        wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
        modes = {m.strip() for m in args.modes.split(",")}
        for mode, lang in RUNS:
            if mode not in modes:
                continue
            for spec in PAGES:
                if mode not in spec.modes or (wanted and Path(spec.path).stem not in wanted):
                    continue
                print(stable("\n".join(_page_run(spec.path, mode, lang))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
