"""Scatter charts: capability against intent per objective, offense against defense."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import altair as alt
import pandas as pd

from scoring.inputs.spec import Posture
from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.pages.charts.base import (
    LINK,
    PUBLISHED,
    TENS,
    WIDTH,
    Basis,
    Chart,
    Data,
    Family,
    basis_columns,
    basis_of,
    country_urls,
    dark_mode,
    in_dark,
    marked,
    number_tooltip,
    objective_names,
    objective_places,
    places,
    posture_colour,
    rank_labels,
)

# Labels are placed for a plot this many pixels wide (the static fallback's width, less the axes): a
# label starts LABEL_DX px right of its point and is about LABEL_W × LABEL_H px; a point's radius is
# POINT_R px (mark size 90). A narrower window may still show some overlap.
PLOT_WIDTH, LABEL_DX, LABEL_W, LABEL_H, POINT_R = 620, 7, 24, 12, 5.5
QUADRANT_HEIGHT, POSTURE_HEIGHT = 360, 420
# the labels' colour: the text colour of the page's palette (a compiled spec's own colour, which the
# dark Vega config does not reach; black in the static images)
TEXT = in_dark("black", "#e8eaf0")
# The posture chart's threshold labels (10 px italic, about CHAR_W px a character) keep their size on a
# phone, where the plot is about PHONE_PLOT px wide: the room they take is reserved as it is there.
CHAR_W, PHONE_PLOT = 5.6, 300
Box = tuple[float, float, float, float]  # left, right, bottom, top: px of the plot, from its bottom left


def uncrowded(
    data: pd.DataFrame,
    x: str,
    y: str,
    spans: tuple[float, float],
    height: int,
    origin: tuple[float, float] = (0.0, 0.0),
    occupied: Sequence[Box] = (),
) -> pd.Series:
    """Which points get a text label: greedily, highest score first, a label is kept only if it covers
    no other point, no label already kept and no `occupied` box (the chart's own labels). Every point is
    still drawn, in the tooltip and the table. The axes run from `origin` over `spans` (data units)."""
    px = (data[x].to_numpy() - origin[0]) / spans[0] * PLOT_WIDTH
    py = (data[y].to_numpy() - origin[1]) / spans[1] * height
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
        free = all(
            right[i] <= x0 or left[i] >= x1 or py[i] + LABEL_H / 2 <= y0 or py[i] - LABEL_H / 2 >= y1
            for x0, x1, y0, y1 in occupied
        )
        if clear and free and not covers_a_point(i):
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
    basis = basis_of(results.overall["basis"])
    decimals = places(1, basis), places(2, basis, unit_scale=True)
    description = (
        f"Scatter plot of capability against intent on {name} in {spec.title} "
        f"for {len(data)} ranked countries; "
        f"dashed lines mark the medians (capability {medians['capability'][0]:.{decimals[0]}f}, intent "
        f"{medians['intent'][0]:.{decimals[1]}f}), "
        "so the top-right quadrant holds the capable and intent-driven; "
        "crowded points are labelled only in the tooltip and the table."
    )
    table = basis_columns(table, {"rank": None, "capability": 0, "intent": 1, "score": 0}, basis)
    title = f"{spec.title}: {name}, capability against intent"
    built = QUADRANT.spec([data, medians], title, description, texts={"name": name}, basis=basis)
    return Chart(f"quadrant-{spec.id}-{objective}", title, description, built, table)


@per_results
def _quadrant_rows(results: Results) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Each objective's rows of the ranked countries (iso3, country, capability, intent, score, rank,
    place: the rank in words, posture, url: the country's page), and its table, by rank."""
    ranked = results.overall[results.overall["ranked"]]
    rows = results.objectives[results.objectives["iso3"].isin(ranked.index)].copy()
    rows["country"] = rows["iso3"].map(ranked["country"])
    rows["posture"] = rows["iso3"].map(ranked["posture"])
    rows["place"] = objective_places(results)
    rows["url"] = country_urls(rows["iso3"])
    data = rows[
        ["iso3", "country", "capability", "intent", "score", "rank", "place", "posture", "url"]
    ].round({"capability": 1, "intent": 2, "score": 2})
    split = dict(list(data.groupby(rows["objective"], sort=False)))
    columns = ["place", "country", "capability", "intent", "score"]
    return {
        objective: (frame, frame.sort_values("rank")[columns].rename(columns={"place": "rank"}))
        for objective in results.spec.objective_ids
        for frame in [split.get(objective, data.iloc[:0])]
    }


def _quadrant(data: Data, medians: Data, *, name: str, basis: Basis = PUBLISHED) -> alt.TopLevelMixin:
    points = (
        alt.Chart()
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X(
                "capability:Q",
                title=marked(f"{name} capability (0–100)", basis),
                scale=alt.Scale(domain=[0, 100]),
                axis=TENS,
            ),
            y=alt.Y("intent:Q", title=marked(f"{name} intent (0–1)", basis), scale=alt.Scale(domain=[0, 1])),
            color=posture_colour(),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                number_tooltip("capability", places(1, basis), basis),
                number_tooltip("intent", places(2, basis, unit_scale=True), basis),
                number_tooltip("score", places(2, basis), basis),
                alt.Tooltip("place:N", title=marked("Rank on this objective", basis)),
            ],
            href=LINK,
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=LABEL_DX, fontSize=10, color=TEXT)
        .encode(x="capability:Q", y="intent:Q", text="iso3:N")
        .transform_filter("datum.labelled")
    )
    vertical = alt.Chart(medians).mark_rule(strokeDash=[4, 4], color="#888").encode(x="capability:Q")
    horizontal = alt.Chart(medians).mark_rule(strokeDash=[4, 4], color="#888").encode(y="intent:Q")
    # shared data on the layer: Altair would otherwise compare the subcharts' frames by repr()
    return (
        alt.layer(vertical, horizontal, points, labels, data=data)
        .add_params(dark_mode())
        .properties(width=WIDTH, height=QUADRANT_HEIGHT)
    )


QUADRANT = Family(_quadrant)


def posture_map(results: Results) -> Chart:
    """Each ranked country's orientation (−1…+1, across) against its offense score (0–100, up), with
    the posture rule's thresholds (`scoring.method.posture`): dashed vertical lines at the orientations
    from which a country reads attack-heavy and up to which it reads defensive, dashed horizontal lines
    between the offense tiers; a defensive orientation in the strong tier still reads balanced."""
    spec = results.spec
    rule = spec.posture
    ranked = results.ranked
    data = ranked.reset_index()[
        [
            *("iso3", "country", "rank", "score", "orientation", "offense_intent", "defense_intent"),
            *("offense", "offense_rank", "offense_tier", "posture"),
        ]
    ].round({"orientation": 3, "offense_intent": 2, "defense_intent": 2, "offense": 2})
    data["offense_rank"] = data["offense_rank"].astype(int)
    data["url"] = country_urls(data["iso3"])
    x_domain = _orientation_domain(data["orientation"], rule.defensive_at, rule.attack_heavy_at)
    top = _offense_top(data["offense"])
    spans = (x_domain[1] - x_domain[0], top)
    share = tier_share(rule)
    verticals = pd.DataFrame(
        {
            "orientation": [rule.attack_heavy_at, rule.defensive_at],
            "offense": [top, top],
            "label": [
                f"attack-heavy: {_signed(rule.attack_heavy_at)} or more",
                f"defensive: {_signed(rule.defensive_at)} or less, unless strong offense",
            ],
            "side": ["right", "left"],
        }
    )
    horizontals = _tier_lines(data, share).assign(orientation=x_domain[1])
    occupied = _label_boxes(verticals, horizontals, x_domain, top)
    data["labelled"] = uncrowded(
        data, "orientation", "offense", spans, POSTURE_HEIGHT, (x_domain[0], 0.0), occupied
    )
    basis = basis_of(results.overall["basis"])
    if basis:
        data["rank_label"] = rank_labels(data["rank"], ranked["rank_basis"].reset_index(drop=True))
    counts = data["posture"].value_counts()
    description = (
        f"Scatter plot of orientation (intent leaning to defense, −1, or offense, +1) against offense score "
        f"for the {len(data)} ranked countries of {spec.title}: {counts.get('attack-heavy', 0)} "
        f"attack-heavy (right of the dashed line at {rule.attack_heavy_at:+.2f}), "
        f"{counts.get('balanced', 0)} balanced and {counts.get('defensive', 0)} defensive "
        f"(left of the line at {rule.defensive_at:+.2f} and below the strong offense tier, the top {share}); "
        "crowded points are labelled only in the tooltip and the table."
    )
    table = data[["rank", "country", "orientation", "offense", "offense_tier", "posture"]].rename(
        columns={"offense": "offense score", "offense_tier": "offense tier"}
    )
    if basis:
        # the orientation keeps two decimals: the classes part at ±0.20 of it
        table = basis_columns(
            table.assign(rank=data["rank_label"]), {"orientation": 2, "offense score": 0}, basis
        )
    title = f"{spec.title}: orientation against offense"
    built = POSTURE.spec(
        [verticals, horizontals, data],
        title,
        description,
        x_domain=x_domain,
        top=top,
        basis=basis,
    )
    return Chart(f"posture-{spec.id}", title, description, built, table)


# the share of the cohort in one of n equal tiers, in words (`offense_tiers` is a whole number from 2 to 10)
SHARES = {
    **{2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth"},
    **{7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth"},
}


def tier_share(rule: Posture) -> str:
    """The strong offense tier's share of the ranked cohort in words, from the posture rule's
    `offense_tiers` ("third" for 3): what the posture chart's tier line and the posture page call it."""
    return SHARES.get(rule.offense_tiers, f"1/{rule.offense_tiers}")


def _fifths(domain: tuple[float, float]) -> tuple[float, ...]:
    # the axis ticks: every 0.2 within the domain (every 0.1 crowds a phone-wide chart)
    return tuple(k / 5 for k in range(math.ceil(domain[0] * 5 - 1e-9), math.floor(domain[1] * 5 + 1e-9) + 1))


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")  # a true minus, as the axis writes it


def _orientation_domain(orientation: pd.Series, low: float, high: float) -> tuple[float, float]:
    # the data and both thresholds, a little beyond (room for a label), in tenths, within −1…+1
    pad = 0.08
    least = min(float(orientation.min()), low) if len(orientation) else low
    most = max(float(orientation.max()), high) if len(orientation) else high
    return (max(-1.0, math.floor((least - pad) * 10) / 10), min(1.0, math.ceil((most + pad) * 10) / 10))


def _offense_top(offense: pd.Series) -> float:
    # from 0 (no offense) to a round 5 above the highest score, with room above it for the line labels
    highest = float(offense.max()) if len(offense) else 0.0
    return float(max(5, math.ceil(highest * 1.12 / 5) * 5))


def _label_boxes(
    verticals: pd.DataFrame, horizontals: pd.DataFrame, x_domain: tuple[float, float], top: float
) -> list[Box]:
    """Where the threshold lines' labels are drawn (see `_posture`), in the px of `uncrowded`: each
    label's length and thickness as on a phone-wide plot, where they take the most of it."""
    scale = PLOT_WIDTH / PHONE_PLOT  # a phone's px, in the px of the PLOT_WIDTH plot
    boxes: list[Box] = []
    for offense, label in zip(horizontals["offense"], horizontals["label"], strict=True):
        # right-aligned at the plot's right edge, just above its line
        bottom = float(offense) / top * POSTURE_HEIGHT
        length = (len(str(label)) * CHAR_W + 2) * scale
        boxes.append((PLOT_WIDTH - length, PLOT_WIDTH, bottom, bottom + LABEL_H))
    for orientation, label, side in zip(
        verticals["orientation"], verticals["label"], verticals["side"], strict=True
    ):
        # turned, down from the top, beside its line
        at = (float(orientation) - x_domain[0]) / (x_domain[1] - x_domain[0]) * PLOT_WIDTH
        thick = (3 + LABEL_H) * scale
        length = len(str(label)) * CHAR_W + 2
        left, right = (at, at + thick) if side == "right" else (at - thick, at)
        boxes.append((left, right, POSTURE_HEIGHT - length, POSTURE_HEIGHT))
    return boxes


def _tier_lines(data: pd.DataFrame, share: str) -> pd.DataFrame:
    """The offense scores between the tiers (halfway between the lowest of the higher tier and the
    highest of the lower), each with its label; no line where a tier is empty."""
    lines = []
    for upper, lower, label in [
        ("strong", "moderate", f"↑ strong offense (top {share})"),
        ("moderate", "weak", "↑ moderate offense"),
    ]:
        above = data.loc[data["offense_tier"] == upper, "offense"]
        below = data.loc[data["offense_tier"].isin([lower, "weak"]), "offense"]
        if len(above) and len(below):
            lines.append({"offense": round((float(above.min()) + float(below.max())) / 2, 2), "label": label})
    return pd.DataFrame(lines, columns=["offense", "label"]).astype({"offense": float, "label": object})


DASHED: dict[str, Any] = {"strokeDash": [4, 4], "color": "#888", "strokeWidth": 1.5}  # threshold lines
# the vertical lines' labels, turned to run along them: right of the attack-heavy line (glyphs below the
# baseline, which the turn points right), left of the defensive one
LABEL_SIDES: tuple[tuple[str, Literal["top", "bottom"], int], ...] = (
    ("right", "top", 3),
    ("left", "bottom", -3),
)


def _posture(
    verticals: Data,
    horizontals: Data,
    data: Data,
    *,
    x_domain: tuple[float, float],
    top: float,
    basis: Basis = PUBLISHED,
) -> alt.TopLevelMixin:
    rank = (
        alt.Tooltip("rank_label:N", title="Overall rank")
        if basis
        else alt.Tooltip("rank:Q", title="Overall rank")
    )
    x = alt.X(
        "orientation:Q",
        title=marked("Orientation (−1 defense…+1 offense)", basis),
        scale=alt.Scale(domain=list(x_domain), nice=False, zero=False),
        # "+0.4", "0", "−0.4": which side of even a value is on
        axis=alt.Axis(
            values=list(_fifths(x_domain)),
            labelExpr="(datum.value > 0 ? '+' : '') + format(datum.value, '.1~f')",
        ),
    )
    y = alt.Y(
        "offense:Q",
        title=marked("Offense score (0–100)", basis),
        scale=alt.Scale(domain=[0, top], nice=False),
    )
    intent = places(2, basis, unit_scale=True)
    vertical_rules = alt.Chart(verticals).mark_rule(**DASHED).encode(x="orientation:Q")
    # along the lines, reading upwards from the top: on a phone-wide plot a label across would run out
    vertical_labels = [
        alt.Chart(verticals)
        .transform_filter(f"datum.side == '{side}'")
        .mark_text(
            angle=270,
            align="right",
            baseline=baseline,
            dx=-2,
            dy=dy,
            fontSize=10,
            fontStyle="italic",
            color=TEXT,
        )
        .encode(x="orientation:Q", y="offense:Q", text="label:N")
        for side, baseline, dy in LABEL_SIDES
    ]
    horizontal_rules = alt.Chart(horizontals).mark_rule(**DASHED).encode(y="offense:Q")
    horizontal_labels = (
        alt.Chart(horizontals)
        .mark_text(
            align="right", baseline="bottom", dx=-2, dy=-2, fontSize=10, fontStyle="italic", color=TEXT
        )
        .encode(x="orientation:Q", y="offense:Q", text="label:N")
    )
    hover = alt.selection_point(
        name="hovered", on="pointerover", fields=["iso3"], empty=False, clear="pointerout"
    )
    points = (
        alt.Chart()
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=x,
            y=y,
            color=posture_colour(),
            size=alt.condition(hover, alt.value(200), alt.value(90)),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                rank,
                # an estimated or assessed orientation to two decimals: the classes part at ±0.20 of it
                number_tooltip("orientation", 2 if basis else 3, basis, "Orientation", signed=True),
                number_tooltip("offense_intent", intent, basis, "Offensive intent"),
                number_tooltip("defense_intent", intent, basis, "Defensive intent"),
                number_tooltip("offense", places(2, basis), basis, "Offense score"),
                alt.Tooltip("offense_rank:Q", title="Offense rank"),
                alt.Tooltip("offense_tier:N", title="Offense tier"),
                alt.Tooltip("posture:N", title="Posture"),
            ],
            href=LINK,
        )
        .add_params(hover)
        .properties(name="points")  # the hover selection's view, by a name that no build order changes
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=LABEL_DX, fontSize=10, color=TEXT)
        .encode(x="orientation:Q", y="offense:Q", text="iso3:N", href=LINK)
        .transform_filter("datum.labelled")
    )
    # the pointed-at country's name, over the others' labels
    name = (
        alt.Chart()
        .mark_text(align="left", dx=LABEL_DX + 2, dy=-12, fontSize=12, fontWeight="bold", color=TEXT)
        .encode(x="orientation:Q", y="offense:Q", text="country:N")
        .transform_filter(hover)
    )
    return (
        alt.layer(
            vertical_rules,
            horizontal_rules,
            *vertical_labels,
            horizontal_labels,
            points,
            labels,
            name,
            data=data,
        )
        .add_params(dark_mode())
        .properties(width=WIDTH, height=POSTURE_HEIGHT)
    )


POSTURE = Family(_posture)
