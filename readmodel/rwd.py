"""The last real-world-data run as a reader may see it: extract, coverage by region, data-quality results.

Under a public policy, person counts below the small-number threshold (coverage by region, failing and checked
records of a check, and then its share, persons not placed in a region) are blanked, like every other small number
of the public instance.
"""

from __future__ import annotations

from sqlalchemy import Engine

from readmodel.policy import ReadPolicy
from store.rwd_runs import latest_run


def latest_rwd_run(engine: Engine, policy: ReadPolicy) -> dict | None:
    """The report of the last ``python -m rwd compute`` written to the store, or None before the first."""
    report = latest_run(engine)
    if report is None or not policy.public:
        return report

    def hide(n: int | None) -> int | None:
        return None if n is not None and 0 < n < policy.min_count else n

    report["coverage"] = [{**c, "persons": hide(c["persons"])} for c in report.get("coverage", [])]
    checks = []
    for c in report.get("checks", []):  # a share would give a hidden count back: hidden with it
        failing, total = hide(c["failing"]), hide(c.get("total"))
        hidden = (failing, total) != (c["failing"], c.get("total"))
        checks.append({**c, "failing": failing, "total": total,
                       **({"share": None} if hidden and "share" in c else {})})
    report["checks"] = checks
    report["placement"] = [{**p, "unplaced": [{**u, "persons": hide(u["persons"])} for u in p.get("unplaced", [])]}
                           for p in report.get("placement", [])]
    return report
