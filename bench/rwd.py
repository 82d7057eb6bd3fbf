"""Real-world-data engines at scale: ``python bench/rwd.py [--sizes 1000000 10000000] [--no-spark-at 10000000]``.

For each size a synthetic OMOP CDM extract (~5 events per person; cached under ``--workdir``) is computed for
2025 with every definition of data/rwd_definitions.yaml, each engine in its own subprocess:
``<size> <engine> seconds=<s> peak_rss_mb=<MB>`` (seconds: data-quality checks + every definition; peak RSS
of the whole process tree, the JVM included, sampled every 0.1 s; ``self_rss_mb``: the child's own ru_maxrss).
At sizes up to ``--pandas-max`` the four population definitions also run in plain pandas and on DuckDB alone
(one query for the four, as ``compute`` runs them), with the ratio ``pandas_over_duckdb`` and a check that the
numbers agree.
Targets: 10 M persons <= 30 s on DuckDB on 2 cores, >= 5x pandas at 1 M, DuckDB peak RSS <= 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POPULATION_KIND = "population_proportion"


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        ppid = int(fields.get("PPid", "0").strip())
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_child(args: list[str]) -> dict:
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.1)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed with {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(peak / 1024)
    return result


def child(engine_name: str, cdm: Path, subset: str) -> dict:
    from rwd.compute import compute
    from rwd.definitions import load_definitions

    defs = load_definitions()
    if subset == "population":
        defs = tuple(d for d in defs if d.kind == POPULATION_KIND)
    if engine_name == "pandas":
        cpu0, started = _cpu(), time.perf_counter()
        rows = pandas_population(cdm, defs, "2025")
        return {"seconds": time.perf_counter() - started, "rows": rows, "cpu_seconds": _cpu() - cpu0,
                "self_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    from rwd.engines import DuckDBEngine, SparkEngine

    engine = DuckDBEngine(threads=2) if engine_name == "duckdb" else SparkEngine(master="local[2]")
    cpu0 = _cpu()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    if subset == "population":
        from rwd.aggregate import run_population_batch
        from rwd.extract import open_extract

        open_extract(engine, cdm)
        cpu0, t0 = _cpu(), time.perf_counter()
        batch = run_population_batch(engine, defs, "2025")  # one query for the four, as compute() runs them
        rows = {key: res[1][["region", "numerator", "denominator"]].to_dict("records") for key, res in batch.items()}
        timings["definitions_seconds"] = time.perf_counter() - t0
        timings["seconds"] = timings["definitions_seconds"]  # pandas is timed on the same work
    else:
        compute(engine, cdm, ["2025"], definitions=defs)
        timings["seconds"] = time.perf_counter() - started
        rows = None
    engine.close()
    return {**timings, "rows": rows, "self_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "cpu_seconds": _cpu() - cpu0}  # of the timed work only (Spark: the driver; the JVM is not waited for)


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (less sensitive to a busy machine than wall time)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def pandas_population(cdm: Path, defs, period: str) -> dict:
    """The population definitions in plain pandas (reads the Parquet files with the columns it needs)."""
    import pandas as pd

    from core.periods import period_end
    from rwd.definitions import EVENT_TABLES, SEX_CONCEPTS
    from rwd.placement import resolve
    from rwd.sql import period_start, years_before

    person = pd.read_parquet(cdm / "person.parquet", columns=["person_id", "gender_concept_id", "year_of_birth",
                                                              "month_of_birth", "day_of_birth", "location_id"])
    location = pd.read_parquet(cdm / "location.parquet", columns=["location_id", "location_source_value"])
    location["region"] = location["location_source_value"].map(lambda value: resolve(value, period)[0])
    person = person.merge(location[["location_id", "region"]], on="location_id", how="left")
    person["birth_key"] = (person["year_of_birth"] * 10000 + person["month_of_birth"].fillna(7) * 100
                           + person["day_of_birth"].fillna(1))
    op = pd.read_parquet(cdm / "observation_period.parquet")
    death = pd.read_parquet(cdm / "death.parquet", columns=["person_id", "death_date"])
    events = {item: pd.read_parquet(cdm / f"{item}.parquet", columns=["person_id", c, d])
              for item, (c, d) in EVENT_TABLES.items()}
    start, end = pd.Timestamp(period_start(period)), pd.Timestamp(period_end(period))
    end_key = end.year * 10000 + end.month * 100 + end.day
    out = {}
    for defn in defs:
        lookback = pd.Timestamp(years_before(end.date(), defn.lookback_years))
        observed_from = start if defn.observed == "reporting_period" else lookback
        age = (end_key - person["birth_key"]) // 10000
        keep = age.between(defn.age_min, defn.age_max)
        if SEX_CONCEPTS[defn.sex]:
            keep &= person["gender_concept_id"].isin(SEX_CONCEPTS[defn.sex])
        cohort = person[keep]
        covered = op[(pd.to_datetime(op["observation_period_start_date"]) <= observed_from)
                     & (pd.to_datetime(op["observation_period_end_date"]) >= end)]["person_id"]
        cohort = cohort[cohort["person_id"].isin(covered)]
        if defn.alive:
            cohort = cohort[~cohort["person_id"].isin(death[pd.to_datetime(death["death_date"]) <= end]["person_id"])]
        hits = []
        for ev in defn.events:
            concept, day = EVENT_TABLES[ev.table]
            frame = events[ev.table]
            dates = pd.to_datetime(frame[day])
            hits.append(frame[frame[concept].isin(ev.concepts) & (dates >= lookback) & (dates <= end)]["person_id"])
        screened = cohort["person_id"].isin(pd.concat(hits).unique())
        grouped = cohort.assign(hit=screened).groupby("region", dropna=False)["hit"].agg(["sum", "count"])
        records = [{"region": r, "numerator": float(s), "denominator": float(c)}
                   for r, s, c in zip(grouped.index, grouped["sum"], grouped["count"], strict=True) if r == r]
        placed = grouped[grouped.index.notna()]  # a person without a region is counted nowhere
        records.append({"region": "KZ", "numerator": float(placed["sum"].sum()),
                        "denominator": float(placed["count"].sum())})
        out[defn.id] = sorted(records, key=lambda r: (r["region"] == "KZ", r["region"]))
    return out


def ensure_extract(workdir: Path, persons: int) -> Path:
    from rwd.synth import synthesize

    folder = workdir / f"synthetic_{persons}"
    if not (folder / "cdm_source.parquet").exists():
        started = time.perf_counter()
        counts = synthesize(persons, folder, seed=2025)
        events = sum(v for k, v in counts.items() if k not in ("person", "observation_period", "death"))
        print(f"{persons} generated seconds={time.perf_counter() - started:.1f} events={events} "
              f"events_per_person={events / persons:.2f}", flush=True)
    return folder


def _sorted_rows(rows: dict) -> dict:
    return {k: sorted(v, key=lambda r: (r["region"] == "KZ", r["region"])) for k, v in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench_rwd")
    parser.add_argument("--no-spark-at", type=int, nargs="*", default=[])
    parser.add_argument("--pandas-max", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "CDM", "SUBSET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine_name, cdm, subset = args.child
        print(json.dumps(child(engine_name, Path(cdm), subset)))
        return
    print(f"cpus={os.cpu_count()}", flush=True)
    for size in args.sizes:
        folder = ensure_extract(args.workdir, size)
        engines = ["duckdb"] + ([] if size in args.no_spark_at else ["spark"])
        results = {}
        for name in engines:
            res = run_child([name, str(folder), "all"])
            results[name] = res
            print(f"{size} {name} seconds={res['seconds']:.1f} cpu_seconds={res['cpu_seconds']:.1f} "
                  f"peak_rss_mb={res['peak_rss_mb']} self_rss_mb={res['self_rss_mb']} "
                  f"loadavg={os.getloadavg()[0]:.1f}", flush=True)
        if "spark" in results:
            print(f"{size} spark_over_duckdb={results['spark']['seconds'] / results['duckdb']['seconds']:.1f}")
        if size <= args.pandas_max:
            duck = run_child(["duckdb", str(folder), "population"])
            pand = run_child(["pandas", str(folder), "population"])
            same = _sorted_rows(duck["rows"]) == _sorted_rows(pand["rows"])
            print(f"{size} population_definitions duckdb_seconds={duck['seconds']:.2f} "
                  f"pandas_seconds={pand['seconds']:.2f} pandas_over_duckdb={pand['seconds'] / duck['seconds']:.1f} "
                  f"pandas_peak_rss_mb={pand['peak_rss_mb']} same_numbers={same} "
                  f"cpu_ratio={pand['cpu_seconds'] / duck['cpu_seconds']:.1f}", flush=True)


if __name__ == "__main__":
    main()
