"""Hostile uploads against the importer: ``python bench/upload_limits.py``.

Builds each file of the issue 9 security pass itself — a 4.7 KB .xlsx whose only cell is XFD1048576 (and a
5.6 KB legacy .xls whose last cell is IV65536, which calamine expanded to 1.3 GB in 87 s), a zip-bomb .xlsx
(600 MB of shared strings in ~0.6 MB), a CSV with one region repeated 20,000 times; and from the issue 21 pass a
9.6 MB CSV of 1.2 M rows ending in a bare CR and a .xlsx of 900,000 rows with no ``r=`` references — and checks
each in its own fresh subprocess (``import_table(..., dry_run=True)``, no store; the catalogue loaded first, as
in a running server), so one file's memory never counts against the next. Prints per file: size, outcome,
seconds, and peak memory above the idle process (VmHWM after the modules are imported, reset through
/proc/self/clear_refs), with the target: rejected in < 5 s and < 300 MB above idle.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_S, TARGET_MB = 5.0, 300.0

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[3])
from catalogue import load_catalogue
from data_sources.importer import import_table

load_catalogue()  # loaded once per server process, as in the running app


def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024  # MB
    return 0.0


data = open(sys.argv[1], "rb").read()
try:
    open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) to the current RSS
except OSError:
    pass
idle = status("VmRSS")
start, cpu = time.perf_counter(), time.process_time()
result = import_table(data, sys.argv[2], None, None, dry_run=True)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
reason = str(result.issues[0]) if result.issues else ""
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": status("VmHWM") - idle,
                  "accepted": result.accepted, "issues": len(result.issues), "reason": reason[:110]}))
"""


def measure(name: str, data: bytes) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        reply = subprocess.run([sys.executable, "-c", _CHILD, str(path), name, str(ROOT)], capture_output=True,
                               text=True, timeout=600, cwd=ROOT)
    if reply.returncode != 0:
        return {"seconds": float("nan"), "cpu_seconds": float("nan"), "peak_mb": float("nan"), "accepted": None,
                "issues": 0, "reason": f"child failed: {reply.stderr.strip().splitlines()[-1:]}"}
    return json.loads(reply.stdout.strip().splitlines()[-1])


def main() -> int:
    import hostile_files

    files = {"far_cell.xlsx": hostile_files.far_cell_xlsx(), "far_cell.xls": hostile_files.far_cell_xls(),
             "zip_bomb.xlsx": hostile_files.zip_bomb_xlsx(600),
             "repeated_region.csv": hostile_files.repeated_region_csv(20_000),
             "cr_only.csv": hostile_files.cr_only_csv(1_200_000),
             "reference_free.xlsx": hostile_files.reference_free_xlsx(900_000)}
    ok = True
    for name, data in files.items():
        m = measure(name, data)
        met = m["accepted"] is False and m["seconds"] < TARGET_S and m["peak_mb"] < TARGET_MB
        ok &= met
        print(f"{name:<20} size_kb={len(data) / 1024:8.1f} rejected={m['accepted'] is False!s:<5} "
              f"seconds={m['seconds']:6.2f} ({m['seconds'] / TARGET_S:.2f}× of {TARGET_S:g} s; "
              f"cpu {m['cpu_seconds']:.2f} s) "
              f"peak_mb_above_idle={m['peak_mb']:7.1f} ({m['peak_mb'] / TARGET_MB:.2f}× of {TARGET_MB:g} MB) "
              f"{'OK' if met else 'MISSED'}")
        print(f"{'':<20} issues={m['issues']} first: {m['reason']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
