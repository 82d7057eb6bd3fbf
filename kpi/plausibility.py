"""Plausibility of an entered actual: a value that is allowed but unlikely (a typo such as ``1e3`` for a quarterly
count whose whole-period target is 12) gets a warning the editor confirms before it is saved; nothing is refused."""

from __future__ import annotations

from core.i18n import N_, Message
from kpi.framework import Kpi

SNAPSHOT_FACTOR = 10  # a snapshot more than ten times its baseline and target (in size) is queried


def implausible(kpi: Kpi, value: float) -> Message | None:
    """Why ``value`` looks wrong for ``kpi`` (a message naming the KPI by id; pages put in its name), or None."""
    change = abs(kpi.target_value - kpi.baseline_value)
    if kpi.aggregation == "cumulative":
        if change > 0 and value > change:
            return Message(N_("{value} in one quarter is more than the whole period's target of {kpi} ({change} "
                              "{unit} from baseline to target)"), value=f"{value:g}", kpi=kpi.id,
                           change=f"{change:g}", unit=kpi.unit)
        return None
    scale = max(abs(kpi.baseline_value), abs(kpi.target_value))
    if scale > 0 and abs(value) > SNAPSHOT_FACTOR * scale:
        return Message(N_("{value} is more than ten times the baseline ({baseline}) and the target ({target}) of "
                          "{kpi}"), value=f"{value:g}", kpi=kpi.id, baseline=f"{kpi.baseline_value:g}",
                       target=f"{kpi.target_value:g}")
    return None
