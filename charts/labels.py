"""Point labels that never overlap: each label takes the first free spot around its point, or none at all.

Plotly draws text labels where it is told and never moves them apart, so crowded regions' names overprint. Here a
label's box is estimated in pixels for the smallest plot the dashboard draws (``PlotBox``): a wider plot only moves
points further apart, never labels closer, so no two placed labels overlap at any larger size. A point whose every
spot is taken keeps its name in the hover text, and the caller can say which names were left off.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Plotly textposition → (horizontal anchor, vertical anchor) relative to the marker; tried in this order.
POSITIONS: dict[str, tuple[int, int]] = {
    "top center": (0, -1), "bottom center": (0, 1), "middle right": (1, 0), "middle left": (-1, 0),
    "top right": (1, -1), "top left": (-1, -1), "bottom right": (1, 1), "bottom left": (-1, 1),
}
CHAR_WIDTH_EM = 0.62  # generous average glyph width of the dashboard's sans-serif (real text is narrower)
LINE_HEIGHT_EM = 1.5
GAP_PX = 4.0  # space between marker and label, and around each label
CLEARANCE_PX = 3.0  # extra room kept on every side of a label: plotly's exact text offsets vary by a few pixels


@dataclass(frozen=True)
class PlotBox:
    """The plotting area assumed for the estimate: its size in pixels and the data ranges of its axes."""
    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    x_log: bool = False

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        """Pixel position of a data point (origin top left, y down)."""
        if self.x_log:
            x = math.log10(x)
        fx = (x - self.x_range[0]) / (self.x_range[1] - self.x_range[0])
        fy = (y - self.y_range[0]) / (self.y_range[1] - self.y_range[0])
        return fx * self.width, (1 - fy) * self.height


Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


def text_size(text: str, font_size: float) -> tuple[float, float]:
    """Conservative width and height of a one-line label in pixels."""
    return len(text) * font_size * CHAR_WIDTH_EM + 2 * GAP_PX, font_size * LINE_HEIGHT_EM + GAP_PX


def label_box(px: float, py: float, size: tuple[float, float], position: str, marker_px: float) -> Box:
    """The box a label would take at ``position`` around a marker centred on (px, py)."""
    width, height = size
    hx, vy = POSITIONS[position]
    reach = marker_px / 2 + GAP_PX
    cx = px + hx * (reach + width / 2)
    cy = py + vy * (reach + height / 2)
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def overlaps(a: Box, b: Box, clearance: float = CLEARANCE_PX) -> bool:
    """Whether two boxes come closer than ``clearance`` pixels on each side (touching counts)."""
    return (a[0] - clearance < b[2] + clearance and b[0] - clearance < a[2] + clearance
            and a[1] - clearance < b[3] + clearance and b[1] - clearance < a[3] + clearance)


def place_labels(points: Sequence[tuple[float, float]], texts: Sequence[str], plot: PlotBox, font_size: float = 11,
                 marker_px: float = 10, obstacles: Sequence[Box] = ()) -> list[str | None]:
    """A plotly textposition per point, or None where the label would touch another label, a marker or an obstacle
    (e.g. a reference line's caption). Points are placed from the top of the plot down; labels stay inside it."""
    pixels = [plot.to_px(x, y) for x, y in points]
    half = marker_px / 2
    markers = [(px - half, py - half, px + half, py + half) for px, py in pixels]
    taken: list[Box] = [*obstacles]
    chosen: list[str | None] = [None] * len(pixels)
    for i in sorted(range(len(pixels)), key=lambda k: (pixels[k][1], pixels[k][0])):
        if not texts[i]:
            continue
        size = text_size(texts[i], font_size)
        others = [m for k, m in enumerate(markers) if k != i]
        for position in POSITIONS:
            box = label_box(*pixels[i], size, position, marker_px)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= plot.width and box[3] <= plot.height
            if inside and not any(overlaps(box, b) for b in taken) and not any(overlaps(box, m) for m in others):
                chosen[i] = position
                taken.append(box)
                break
    return chosen


def padded_range(values: Sequence[float], pad: float = 0.08, log: bool = False) -> tuple[float, float]:
    """An axis range around the values with a margin on each side (log10 units for a log axis)."""
    vals = [math.log10(v) for v in values if v > 0] if log else [float(v) for v in values]
    if not vals:
        return (0.0, 1.0)
    low, high = min(vals), max(vals)
    span = high - low or abs(high) or 1.0
    return low - pad * span, high + pad * span
