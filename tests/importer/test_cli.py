"""The CLI, offline: `refresh` against replayed API replies and `import` of files, with their printed summaries."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import responses

from data_sources.__main__ import main
from data_sources.seed import open_store
from tests.sources_replay import (
    WB_BASE,
    WB_CODES,
    WHO_BASE,
    assert_unchanged,
    client,
    serve_who,
    serve_worldbank,
    source_row,
    store_contents,
    wb_reply,
    who_reply,
)


@pytest.fixture()
def cli_env(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_WORLDBANK_URL", WB_BASE)
    monkeypatch.setenv("DENSAULYQ_WHO_GHO_URL", WHO_BASE)
    monkeypatch.delenv("DENSAULYQ_EGOV_API_KEY", raising=False)
    return open_store(db_url)


ROOT = Path(__file__).resolve().parents[2]


def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out, client=client())
    return code, out.getvalue()


def serve_everything(rsps, who_fails: bool = False) -> None:
    for code in WB_CODES:
        serve_worldbank(rsps, code)
    if who_fails:
        rsps.add(responses.GET, f"{WHO_BASE}/UHC_INDEX_REPORTED", status=500)
    else:
        serve_who(rsps, "UHC_INDEX_REPORTED")
        serve_who(rsps, "WHOSIS_000001")


def published_count() -> int:
    return sum(1 for code in WB_CODES for row in (wb_reply(code)[1] or []) if row["value"] is not None)


def test_refresh_prints_a_summary_per_source(cli_env):
    with responses.RequestsMock() as rsps:
        serve_everything(rsps)
        code, out = run_cli("refresh")
    assert code == 0, out
    assert f"worldbank: ok — {published_count()} rows fetched" in out
    who_rows = len(who_reply("UHC_INDEX_REPORTED")["value"]) + sum(
        r["Dim1"] == "SEX_BTSX" for r in who_reply("WHOSIS_000001")["value"])
    assert f"who_gho: ok — {who_rows} rows fetched" in out
    assert "egov: skipped — no indicators mapped" in out
    assert "Total:" in out and "0 source(s) failed" in out
    assert source_row(cli_env, "who-gho")["last_status"] == "ok"


def test_refresh_with_a_failing_source_writes_the_others_and_says_why(cli_env):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_everything(rsps, who_fails=True)
        code, out = run_cli("refresh")
    assert code == 1
    assert "worldbank: ok" in out
    assert "who_gho: failed: HTTP 500" in out and "1 source(s) failed (who_gho)" in out
    assert source_row(cli_env, "worldbank-wdi")["last_status"] == "ok"
    assert source_row(cli_env, "who-gho")["last_status"] == "failed"


def test_refresh_dry_run_writes_nothing(cli_env):
    before = store_contents(cli_env)
    with responses.RequestsMock() as rsps:
        serve_everything(rsps)
        code, out = run_cli("refresh", "--dry-run")
    assert code == 0 and "dry run: nothing written" in out
    assert_unchanged(before, store_contents(cli_env))
    assert source_row(cli_env, "who-gho") is None


def test_refresh_one_source(cli_env):
    with responses.RequestsMock() as rsps:
        serve_who(rsps, "UHC_INDEX_REPORTED")
        serve_who(rsps, "WHOSIS_000001")
        code, out = run_cli("refresh", "--source", "who_gho")
    assert code == 0 and "who_gho: ok" in out and "worldbank" not in out


def test_import_prints_counts_and_writes(cli_env, tmp_path):
    path = tmp_path / "vrachi.csv"
    path.write_text("Регион;2024\nРеспублика Казахстан;80000\nАкмолинская;2200\nАктюбинская;-\n", encoding="utf-8")
    code, out = run_cli("import", str(path), "--indicator", "physicians_count")
    assert code == 0, out
    for line in ("rows read: 2", "rows resolved to a region: 2", "rows rejected: 0", "rows written: 2 (2 added"):
        assert line in out


def test_import_rejects_a_bad_file_with_reasons_and_non_zero_exit(cli_env, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Регион;2024\nАкмолинская;2200\nAtlantis;5\nАктюбинская;много\n", encoding="utf-8")
    before = store_contents(cli_env)
    code, out = run_cli("import", str(path), "--indicator", "physicians_count")
    assert code == 1
    assert "rows rejected: 2" in out and "bad.csv, row 3, column 'region': unknown region 'Atlantis'" in out
    assert "'много' is not a number" in out and "REJECTED: nothing was written" in out
    assert_unchanged(before, store_contents(cli_env))
    code, out = run_cli("import", str(path), "--indicator", "physicians_count", "--only-valid")
    assert code == 0 and "rows written: 1" in out and "skipped rows: 3, 4" in out


def test_module_entry_point_runs(tmp_path, db_url):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "data_sources", "import", str(path), "--dry-run"], cwd=ROOT,
                          capture_output=True, text=True, env={"DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"},
                          timeout=120)
    assert proc.returncode == 1 and "the file is empty" in proc.stdout


def test_progress_advances_once_per_fetched_series(cli_env):
    from core.access import SYSTEM
    from core.config import load_settings
    from data_sources.refresh import planned_steps, refresh

    ticks: list[str] = []
    with responses.RequestsMock() as rsps:
        serve_everything(rsps)
        refresh(cli_env, SYSTEM, load_settings(), client=client(), tick=ticks.append)
    assert len(ticks) == planned_steps() == len(WB_CODES) + 2
