"""Chart specifications (Vega-Lite, built with Altair) for every chart on the site.

Each function returns a `Chart`: a Vega-Lite spec as a plain dict (data inline, so a page needs no
other request), a one-sentence description for screen readers, and the rows of the same data as a table.
Specs are pure data: the site embeds them as JSON and vl-convert renders them to static SVG.
"""

from scoring.pages.charts import compare
from scoring.pages.charts.bars import capability_intent, history, profile, rank_intervals, ranking
from scoring.pages.charts.base import OBJECTIVE_COLOURS, POSTURE_COLOURS, VALIDATE, Chart
from scoring.pages.charts.geo import placement, world_map
from scoring.pages.charts.indicators import correlations, indicator_values, objective_overall, value_scale
from scoring.pages.charts.scatter import posture_map, quadrant

__all__ = [
    "OBJECTIVE_COLOURS",
    "POSTURE_COLOURS",
    "VALIDATE",
    "Chart",
    "capability_intent",
    "compare",
    "correlations",
    "history",
    "indicator_values",
    "objective_overall",
    "placement",
    "posture_map",
    "profile",
    "quadrant",
    "rank_intervals",
    "ranking",
    "value_scale",
    "world_map",
]
