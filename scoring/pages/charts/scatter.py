"""Scatter charts: capability against intent per objective, offense against defense."""

from __future__ import annotations

import altair as alt
import pandas as pd

from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.outputs.text import digits
from scoring.pages.charts.base import (
    TENS,
    WIDTH,
    Chart,
    Data,
    Family,
    estimate,
    estimate_columns,
    number_tooltip,
    objective_names,
    posture_colour,
    rank_labels,
)

# Labels are placed for a plot this many pixels wide (the static fallback's width, less the axes): a
# label starts LABEL_DX px right of its point and is about LABEL_W × LABEL_H px; a point's radius is
# POINT_R px (mark size 90). A narrower window may still show some overlap.
PLOT_WIDTH, LABEL_DX, LABEL_W, LABEL_H, POINT_R = 620, 7, 24, 12, 5.5
QUADRANT_HEIGHT, POSTURE_HEIGHT = 360, 420


def uncrowded(data: pd.DataFrame, x: str, y: str, spans: tuple[float, float], height: int) -> pd.Series:
    """Which points get a text label: greedily, highest score first, a label is kept only if it covers
    no other point and no label already kept. Every point is still drawn, in the tooltip and the table."""
    px = data[x].to_numpy() / spans[0] * PLOT_WIDTH
    py = data[y].to_numpy() / spans[1] * height
    left, right = px + LABEL_DX, px + LABEL_DX + LABEL_W  # each point's label box, horizontally

    def covers_a_point(i: int) -> bool:
        near = (
            (px + POINT_R > left[i]) & (px - POINT_R < right[i]) & (abs(py - py[i]) < LABEL_H / 2 + POINT_R)
        )
        near[i] = False
        return bool(near.any())

    kept: list[int] = []
    order = data.reset_index(drop=True).sort_values("score", ascending=False, kind="stable").index
    for i in order:
        clear = all(abs(px[i] - px[j]) >= LABEL_W + LABEL_DX or abs(py[i] - py[j]) >= LABEL_H for j in kept)
        if clear and not covers_a_point(i):
            kept.append(int(i))
    labelled = pd.Series(False, index=data.index)
    labelled.iloc[kept] = True
    return labelled


def quadrant(results: Results, objective: str) -> Chart:
    """Capability against intent for one objective: four quadrants split at the cohort medians."""
    spec = results.spec
    name = objective_names(results)[objective]
    points, table = _quadrant_rows(results)[objective]
    data = points.assign(labelled=uncrowded(points, "capability", "intent", (100, 1), QUADRANT_HEIGHT))
    medians = pd.DataFrame({"capability": [data["capability"].median()], "intent": [data["intent"].median()]})
    estimated = results.estimated
    places = digits(1, estimated), digits(2, estimated, unit_scale=True)
    description = (
        f"Scatter plot of capability against intent on {name} in {spec.title} "
        f"for {len(data)} ranked countries; "
        f"dashed lines mark the medians (capability {medians['capability'][0]:.{places[0]}f}, intent "
        f"{medians['intent'][0]:.{places[1]}f}), "
        "so the top-right quadrant holds the capable and intent-driven; "
        "crowded points are labelled only in the tooltip and the table."
    )
    if estimated:
        table = estimate_columns(table, {"rank": None, "capability": 0, "intent": 1, "score": 0})
    title = f"{spec.title}: {name}, capability against intent"
    built = QUADRANT.spec([data, medians], title, description, name=name, estimated=estimated)
    return Chart(f"quadrant-{spec.id}-{objective}", title, description, built, table)


@per_results
def _quadrant_rows(results: Results) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Each objective's rows of the ranked countries (iso3, country, capability, intent, score, rank,
    posture), and its table, by rank."""
    ranked = results.overall[results.overall["ranked"]]
    rows = results.objectives[results.objectives["iso3"].isin(ranked.index)].copy()
    rows["country"] = rows["iso3"].map(ranked["country"])
    rows["posture"] = rows["iso3"].map(ranked["posture"])
    data = rows[["iso3", "country", "capability", "intent", "score", "rank", "posture"]].round(
        {"capability": 1, "intent": 2, "score": 2}
    )
    split = dict(list(data.groupby(rows["objective"], sort=False)))
    columns = ["rank", "country", "capability", "intent", "score"]
    return {
        objective: (frame, frame.sort_values("rank")[columns])
        for objective in results.spec.objective_ids
        for frame in [split.get(objective, data.iloc[:0])]
    }


def _quadrant(data: Data, medians: Data, *, name: str, estimated: bool = False) -> alt.TopLevelMixin:
    points = (
        alt.Chart()
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X(
                "capability:Q",
                title=estimate(f"{name} capability (0–100)", estimated),
                scale=alt.Scale(domain=[0, 100]),
                axis=TENS,
            ),
            y=alt.Y(
                "intent:Q", title=estimate(f"{name} intent (0–1)", estimated), scale=alt.Scale(domain=[0, 1])
            ),
            color=posture_colour(),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                number_tooltip("capability", digits(1, estimated), estimated),
                number_tooltip("intent", digits(2, estimated, unit_scale=True), estimated),
                number_tooltip("score", digits(2, estimated), estimated),
                alt.Tooltip("rank:Q", title=estimate("Rank on this objective", estimated)),
            ],
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=LABEL_DX, fontSize=10)
        .encode(x="capability:Q", y="intent:Q", text="iso3:N")
        .transform_filter("datum.labelled")
    )
    vertical = alt.Chart(medians).mark_rule(strokeDash=[4, 4], color="#888").encode(x="capability:Q")
    horizontal = alt.Chart(medians).mark_rule(strokeDash=[4, 4], color="#888").encode(y="intent:Q")
    # shared data on the layer: Altair would otherwise compare the subcharts' frames by repr()
    return alt.layer(vertical, horizontal, points, labels, data=data).properties(
        width=WIDTH, height=QUADRANT_HEIGHT
    )


QUADRANT = Family(_quadrant)


def posture_map(results: Results) -> Chart:
    """Offense against defense per country, with the attack-heavy / balanced / defensive regions."""
    spec = results.spec
    ranked = results.ranked
    data = ranked.reset_index()[
        ["iso3", "country", "rank", "score", "offense", "defense", "balance", "posture"]
    ].round({"offense": 2, "defense": 2, "balance": 2})
    top = float(max(data["offense"].max(), data["defense"].max()) * 1.1) or 1.0
    data["labelled"] = uncrowded(data, "offense", "defense", (top, top), POSTURE_HEIGHT)
    heavy, defensive = spec.posture.attack_heavy_at, spec.posture.defensive_at
    # balance = b  <=>  defense = offense * (1 - b) / (1 + b)
    lines = pd.DataFrame(
        [
            {"line": f"balance +{heavy:g}", "offense": 0.0, "defense": 0.0},
            {"line": f"balance +{heavy:g}", "offense": top, "defense": top * (1 - heavy) / (1 + heavy)},
            {"line": f"balance {defensive:g}", "offense": 0.0, "defense": 0.0},
            {
                "line": f"balance {defensive:g}",
                "offense": top * (1 + defensive) / (1 - defensive),
                "defense": top,
            },
        ]
    )
    estimated = results.estimated
    if estimated:
        data["rank_label"] = rank_labels(data["rank"], ranked["rank_basis"].reset_index(drop=True))
    counts = data["posture"].value_counts()
    description = (
        f"Scatter plot of offense against defense for the {len(data)} ranked countries of {spec.title}: "
        f"{counts.get('attack-heavy', 0)} attack-heavy (below the lower dashed line), "
        f"{counts.get('balanced', 0)} balanced and {counts.get('defensive', 0)} defensive "
        "(above the upper line); crowded points are labelled only in the tooltip and the table."
    )
    table = data[["rank", "country", "offense", "defense", "balance", "posture"]]
    if estimated:
        # the balance keeps two decimals: the posture classes part at ±0.20 of it
        table = estimate_columns(
            table.assign(rank=data["rank_label"]), {"offense": 0, "defense": 0, "balance": None}
        )
    title = f"{spec.title}: offense against defense"
    built = POSTURE.spec([lines, data], title, description, top=top, estimated=estimated)
    return Chart(f"posture-{spec.id}", title, description, built, table)


def _posture(lines: Data, data: Data, *, top: float, estimated: bool = False) -> alt.TopLevelMixin:
    rank = (
        alt.Tooltip("rank_label:N", title="Overall rank")
        if estimated
        else alt.Tooltip("rank:Q", title="Overall rank")
    )
    boundaries = (
        alt.Chart(lines)
        .mark_line(strokeDash=[4, 4], color="#888")
        .encode(x="offense:Q", y="defense:Q", detail="line:N")
    )
    points = (
        alt.Chart()
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X(
                "offense:Q",
                title=estimate("Offense (0–100)", estimated),
                scale=alt.Scale(domain=[0, top]),
            ),
            y=alt.Y(
                "defense:Q",
                title=estimate("Defense (0–100)", estimated),
                scale=alt.Scale(domain=[0, top]),
            ),
            color=posture_colour(),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                rank,
                number_tooltip("offense", digits(2, estimated), estimated),
                number_tooltip("defense", digits(2, estimated), estimated),
                number_tooltip("balance", 2, estimated, signed=True),
                alt.Tooltip("posture:N"),
            ],
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=LABEL_DX, fontSize=10)
        .encode(x="offense:Q", y="defense:Q", text="iso3:N")
        .transform_filter("datum.labelled")
    )
    return alt.layer(boundaries, points, labels, data=data).properties(width=WIDTH, height=POSTURE_HEIGHT)


POSTURE = Family(_posture)
