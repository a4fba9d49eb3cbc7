"""What every chart shares: the `Chart` record, colours, and the finishing touches of a spec."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from scoring.method.engine import Results

POSTURE_COLOURS = {"attack-heavy": "#c0392b", "balanced": "#7f8c8d", "defensive": "#2471a3"}
OBJECTIVE_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"]
WIDTH = "container"
# ticks of a 0–100 axis: every ten (left to itself, Vega-Lite crowds "95 100" at the end)
TENS = alt.Axis(values=list(range(0, 101, 10)))


@dataclass(frozen=True)
class Chart:
    id: str  # unique on the site; also the SVG file name
    title: str
    description: str  # what the chart shows, for screen readers and the alt text
    spec: dict[str, Any]  # Vega-Lite
    table: pd.DataFrame  # the same data, shown as an accessible table

    def json(self) -> str:
        """The spec as JSON that is safe inside a <script> element (no '<', '>' or '&' as such)."""
        text = json.dumps(self.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


VALIDATE = False  # schema validation costs ~40 ms a spec; the tests validate every kind of chart


def finish(chart: alt.TopLevelMixin, title: str, description: str) -> dict[str, Any]:
    spec = chart.properties(description=description).to_dict(validate=VALIDATE)
    # on two lines at the first ": " ("National Cyber Power Index 2022" / "overall score"), so that a
    # phone-wide chart does not cut off which edition (or country) it shows
    lines = title.split(": ", 1)
    spec["title"] = {
        "text": lines if len(lines) > 1 else title,
        "anchor": "start",
        "limit": {"expr": "width"},
    }
    spec["config"] = {"view": {"stroke": None}, "axis": {"labelLimit": 160}, "background": "transparent"}
    spec["autosize"] = {"type": "fit-x", "contains": "padding", "resize": True}
    return spec


def objective_names(results: Results) -> dict[str, str]:
    return {o.id: o.name for o in results.spec.objectives}


def posture_colour() -> alt.Color:
    """Colour by posture class, the same three colours on every chart."""
    return alt.Color(
        "posture:N",
        title="Posture",
        scale=alt.Scale(domain=list(POSTURE_COLOURS), range=list(POSTURE_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )
