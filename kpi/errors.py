"""Errors of the KPI module, with messages that name what is wrong."""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input; ``field`` names the field (or file part) at fault. Nothing was written."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class Conflict(RuntimeError):
    """Someone saved the same KPI-quarter since this version was read; reload and try again."""

    def __init__(self, kpi_id: str, quarter: str, expected: int, current: int | None) -> None:
        self.kpi_id, self.quarter, self.expected, self.current = kpi_id, quarter, expected, current
        super().__init__(f"{kpi_id} {quarter}: changed by someone else since version {expected} "
                         f"(now version {current}); reload and try again")
