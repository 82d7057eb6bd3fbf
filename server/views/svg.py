"""Small charts drawn on the server as inline SVG: a sparkline per table row and the national trend line. Each
carries ``role="img"``, an ``aria-label`` and a ``<title>`` (its one-sentence text alternative); no script."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

LINE, POINT, MUTED = "#1f6f8b", "#0b3c4d", "#52606d"


def _points(values: Sequence[float | None], width: float, height: float, pad: float) -> list[tuple[float, float]
                                                                                          | None]:
    finite = [v for v in values if v is not None and not math.isnan(v)]
    if not finite:
        return [None] * len(values)
    low, high = min(finite), max(finite)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    return [None if v is None or math.isnan(v) else
            (round(pad + i * step, 1), round(height - pad - (v - low) / span * (height - 2 * pad), 1))
            for i, v in enumerate(values)]


def _paths(points: list[tuple[float, float] | None]) -> str:
    """One polyline per unbroken run (a suppressed or missing value breaks the line, nothing is interpolated)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return "".join(f'<polyline points="{" ".join(f"{x},{y}" for x, y in run)}" fill="none" stroke="{LINE}" '
                   'stroke-width="1.5"/>' for run in runs if len(run) > 1)


def sparkline(values: Sequence[float | None], label: str, width: int = 96, height: int = 24,
              dashed: bool = False) -> Markup:
    """A row's series, oldest to newest, the last point marked; ``dashed`` for an illustrative series."""
    points = _paths(_points(values, width, height, 3))
    if dashed:
        points = points.replace('stroke-width="1.5"', 'stroke-width="1.5" stroke-dasharray="3 2"')
    last = next((p for p in reversed(_points(values, width, height, 3)) if p is not None), None)
    dot = f'<circle cx="{last[0]}" cy="{last[1]}" r="2.2" fill="{POINT}"/>' if last else ""
    text = escape(label)
    return Markup(f'<svg class="spark" role="img" aria-label="{text}" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}"><title>{text}</title>{points}{dot}</svg>')


def trend_chart(values: Sequence[float | None], periods: Sequence[str], labels: Sequence[str], alt: str,
                width: int = 560, height: int = 180) -> Markup:
    """The national series as a line with its points, the first and last period under the axis and the highest
    and lowest value beside the line (``labels``: the values as the page writes them)."""
    pad, axis = 28.0, 18
    points = _points(values, width, height - axis, pad)
    marks = "".join(f'<circle cx="{p[0]}" cy="{p[1]}" r="3" fill="{POINT}"/>' for p in points if p)
    finite = [(v, i) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    notes = ""
    if finite:
        for _value, i in {max(finite), min(finite)}:
            x, y = points[i] or (0.0, 0.0)
            anchor = "end" if x > width * 0.8 else "start" if x < width * 0.2 else "middle"
            notes += (f'<text x="{x}" y="{max(y - 7, 11)}" text-anchor="{anchor}" font-size="12" '
                      f'fill="{POINT}">{escape(labels[i])}</text>')
    ticks = ""
    if periods:
        ticks = (f'<text x="{pad}" y="{height - 4}" font-size="12" fill="{MUTED}">{escape(periods[0])}</text>'
                 f'<text x="{width - pad}" y="{height - 4}" font-size="12" text-anchor="end" fill="{MUTED}">'
                 f'{escape(periods[-1])}</text>')
    baseline = (f'<line x1="{pad}" x2="{width - pad}" y1="{height - axis}" y2="{height - axis}" stroke="#9aa5b1" '
                'stroke-width="1"/>')
    text = escape(alt)
    return Markup(f'<svg class="trend" role="img" aria-label="{text}" viewBox="0 0 {width} {height}" '
                  f'preserveAspectRatio="xMinYMin meet"><title>{text}</title>{baseline}{_paths(points)}{marks}'
                  f'{notes}{ticks}</svg>')
