"""Geometry of the server-rendered SVG bar charts on the dashboard (no JavaScript,
no chart library): the template draws what this computes."""

from __future__ import annotations

BAR_WIDTH = 36
GAP = 12
PLOT_HEIGHT = 120
LEFT = 40
TOP = 10
BOTTOM = 40


def bar_chart(points: list[dict]) -> dict:
    """Bars for share met on time (0-100 %) per quarter; empty quarters drawn as a gap."""
    bars = []
    for index, point in enumerate(points):
        x = LEFT + GAP + index * (BAR_WIDTH + GAP)
        percent = point["percent"]
        height = round(PLOT_HEIGHT * (percent or 0) / 100)
        bars.append(
            {
                "x": x,
                "y": TOP + PLOT_HEIGHT - height,
                "height": height,
                "width": BAR_WIDTH,
                "label_x": x + BAR_WIDTH // 2,
                "value_y": TOP + PLOT_HEIGHT - height - 3,
                "percent": percent,
                "label": point["label"],
                "total": point["total"],
                "colour": "#00703c"
                if (percent or 0) >= 90
                else "#f47738"
                if (percent or 0) >= 60
                else "#d4351c",
            }
        )
    width = LEFT + GAP + len(points) * (BAR_WIDTH + GAP)
    return {
        "bars": bars,
        "width": width,
        "height": TOP + PLOT_HEIGHT + BOTTOM,
        "axis_y": TOP + PLOT_HEIGHT,
        "top": TOP,
        "mid": TOP + PLOT_HEIGHT // 2,
        "left": LEFT,
        "label_y": TOP + PLOT_HEIGHT + 16,
    }
