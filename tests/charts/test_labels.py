"""Label placement: placed labels never overlap each other, markers or obstacles; crowded points go unlabelled."""

from __future__ import annotations

import random

import pandas as pd

from analytics.pairs import latest_pair
from charts.labels import PlotBox, label_box, overlaps, place_labels, text_size


def _boxes(points, texts, plot, chosen, font=11, marker=10):
    return [label_box(*plot.to_px(*pt), text_size(tx, font), pos, marker)
            for pt, tx, pos in zip(points, texts, chosen, strict=True) if pos]


def test_random_clouds_get_labels_that_never_overlap():
    rng = random.Random(7)
    plot = PlotBox(600, 300, (0, 10), (0, 10))
    for _run in range(30):
        points = [(rng.uniform(0, 10), rng.uniform(0, 10)) for _k in range(20)]
        texts = [f"Region {'x' * rng.randrange(3, 12)}" for _k in range(20)]
        chosen = place_labels(points, texts, plot)
        boxes = _boxes(points, texts, plot, chosen)
        assert boxes, "a sparse cloud gets labels"
        assert not any(overlaps(a, b, 0) for n, a in enumerate(boxes) for b in boxes[n + 1:])
        assert all(b[0] >= 0 and b[2] <= plot.width and b[1] >= 0 and b[3] <= plot.height for b in boxes)


def test_points_on_top_of_each_other_label_one_and_leave_the_rest_to_hover():
    plot = PlotBox(600, 300, (0, 10), (0, 10))
    chosen = place_labels([(5, 5)] * 4, ["Astana", "Almaty", "Shymkent", "Abai"], plot)
    assert sum(pos is not None for pos in chosen) <= 1


def test_a_label_avoids_an_obstacle_such_as_the_national_line_caption():
    plot = PlotBox(600, 300, (0, 10), (0, 10))
    py = plot.to_px(5, 5)[1]
    caption = (0.0, 0.0, 600.0, py - 5)  # everything above the point is taken
    (pos,) = place_labels([(5, 5)], ["Karaganda Region"], plot, obstacles=[caption])
    assert pos is not None and not pos.startswith("top")


def test_pair_names_the_regions_without_both_values():
    x = pd.DataFrame({"region": ["KZ", "KZ-11", "KZ-15"], "period": "2022", "value": [1.0, 2.0, 3.0],
                      "synthetic": False})
    y = pd.DataFrame({"region": ["KZ-11", "KZ-19"], "period": "2024", "value": [5.0, 6.0], "synthetic": False})
    pair = latest_pair(x, y)
    assert list(pair.both.index) == ["KZ-11"] and (pair.x_period, pair.y_period) == ("2022", "2024")
    assert "KZ-19" in pair.missing_x and "KZ-15" in pair.missing_y and "KZ-11" not in pair.dropped
