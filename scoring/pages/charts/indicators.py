"""Indicator and audit charts: every country's raw value of an indicator, the correlations within an
objective, and each objective's correlation with the overall score."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from scoring.method import explain
from scoring.method.audit import Audit
from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.pages.charts.base import (
    LINK,
    MAX_ROWS,
    WIDTH,
    Chart,
    Data,
    Family,
    basis_clause,
    basis_of,
    country_urls,
    marked,
    objective_names,
    page_url,
)

# an indicator whose positive values span more than this factor (max ÷ min) gets a symmetric log scale,
# if none is negative: on a linear axis all but the top few bars would be slivers
LOG_SPREAD = 100
RANKED, NOT_RANKED = "ranked", "not ranked"


def value_scale(values: pd.Series) -> str:
    """`symlog` when the values are all ≥ 0 and the positive ones span more than `LOG_SPREAD` (max ÷
    min), else `linear`. Symlog, not log, so that a zero still gets a (zero-length) bar."""
    values = values.dropna()
    positive = values[values > 0]
    if values.empty or (values < 0).any() or positive.empty:
        return "linear"
    return "symlog" if positive.max() / positive.min() > LOG_SPREAD else "linear"


def indicator_values(results: Results, indicator: str) -> Chart | None:
    """Every listed country's raw value of one indicator in an indicator-level edition, a bar each,
    highest first; countries without a value are left out. None when no country has one (or the edition
    is given per objective)."""
    spec = results.spec
    rows = _indicator_rows(results).get(indicator)
    if rows is None or rows.empty:
        return None
    catalogue = {i.id: i for i in spec.indicators}
    name, unit = catalogue[indicator].name, catalogue[indicator].unit
    scale = value_scale(rows["value"])
    smallest = float(rows.loc[rows["value"] > 0, "value"].min()) if scale == "symlog" else 1.0
    basis = basis_of(rows["basis"])
    data = rows[["country", "value", "normalised", "status", "order", "url"]]
    unranked = int((rows["status"] == NOT_RANKED).sum())
    top, bottom = rows.iloc[0], rows.iloc[-1]
    description = (
        f"Horizontal bar chart of {name} ({unit}) in {spec.title} for {len(rows)} countries, from "
        f"{top['country']} ({_number(top['value'])}) to {bottom['country']} ({_number(bottom['value'])})"
        f"{'; the axis is on a symmetric log scale' if scale == 'symlog' else ''}"
        f"{f'; {unranked} not ranked (grey)' if unranked else ''}"
        f"{basis_clause(basis, 'some values')}."
    )
    value_title = marked(f"value ({unit})", basis)
    table = rows[["country", "value", "normalised"]].rename(
        columns={"value": value_title, "normalised": "normalised (0–1)"}
    )
    title = f"{spec.title}: {name}, every country's value"
    axis = f"{name} ({unit}{', symmetric log scale' if scale == 'symlog' else ''})"
    built = INDICATOR.spec(
        [data],
        title,
        description,
        scale=scale,
        ticks=_log_ticks(smallest, float(rows["value"].max())) if scale == "symlog" else (),
        constant=smallest,
        statuses=tuple(s for s in (RANKED, NOT_RANKED) if (rows["status"] == s).any()),
        bars=len(rows),
    )
    # the indicator's words go in after the structure, which indicators on the same scale share
    encoding = built["encoding"]
    encoding["x"]["title"] = marked(axis, basis)
    encoding["tooltip"][1]["title"] = marked(f"Value ({unit})", basis)
    return Chart(f"indicator-{spec.id}-{indicator}", title, description, built, table)


@per_results
def _indicator_rows(results: Results) -> dict[str, pd.DataFrame]:
    """Each used indicator's rows of the countries with a value (country, value, normalised 0–1, basis,
    status ranked or not, order, url: the country's page), highest value first, then by country name."""
    values = explain.indicator_values(results)
    if values is None:
        return {}
    overall = results.overall
    rows = values[values["value"].notna()].copy()
    rows["country"] = rows["iso3"].map(overall["country"])
    rows["status"] = rows["iso3"].map(overall["ranked"]).map({True: RANKED, False: NOT_RANKED})
    rows["normalised"] = rows["normalised"].round(3)
    rows["url"] = country_urls(rows["iso3"])
    rows = rows.sort_values(["value", "country"], ascending=[False, True], kind="stable")
    out: dict[str, pd.DataFrame] = {}
    for indicator, group in rows.groupby("indicator", sort=False):
        frame = group[["country", "value", "normalised", "basis", "status", "url"]].reset_index(drop=True)
        out[str(indicator)] = frame.assign(order=range(len(frame)))
    return out


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) or abs(value) >= 100 else f"{value:.3g}"


def _log_ticks(smallest: float, largest: float) -> tuple[float, ...]:
    # 0 and the powers of ten from the decade above the smallest positive value (closer, its label would
    # run into 0's) to above the largest: on a symlog axis Vega's own ticks are spaced linearly, so all
    # but one would crowd at the top
    low, high = math.floor(math.log10(smallest)) + 1, math.ceil(math.log10(largest))
    return (0.0, *(float(10**k) for k in range(low, high + 1)))


def _indicator(
    data: Data,
    *,
    scale: str,
    ticks: tuple[float, ...],
    constant: float,
    statuses: tuple[str, ...],
    bars: int,
) -> alt.TopLevelMixin:
    colours = {RANKED: "#4e79a7", NOT_RANKED: "#bab0ac"}
    x_scale = alt.Scale(type="symlog", constant=constant) if scale == "symlog" else alt.Scale()
    x_axis = alt.Axis(values=list(ticks), format=",~r") if ticks else alt.Axis()
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort=alt.EncodingSortField("order", order="ascending"), title=None),
            x=alt.X("value:Q", title="Value", scale=x_scale, axis=x_axis),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=list(statuses), range=[colours[s] for s in statuses]),
                legend=alt.Legend(orient="bottom") if len(statuses) > 1 else None,
            ),
            href=LINK,
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("value:Q", title="Value", format=",~r"),
                alt.Tooltip("normalised:Q", title="Normalised (0–1)", format=".3f"),
                alt.Tooltip("status:N", title="Status"),
            ],
        )
        .properties(width=WIDTH, height=16 * bars)
    )


INDICATOR = Family(_indicator)


def correlations(results: Results, audit: Audit, objective: str) -> Chart | None:
    """The correlation matrix of one objective's indicators (Pearson r, −1…+1, over the ranked
    countries, oriented values) as a heatmap; None with fewer than two indicators, or with so many
    that the cells pass Altair's row limit (71 or more): the audit's tables and downloads still have them."""
    spec = results.spec
    matrix = audit.matrices.get(objective)
    if matrix is None or matrix.shape[1] < 2 or matrix.shape[1] ** 2 > MAX_ROWS:
        return None
    name = objective_names(results)[objective]
    catalogue = {i.id: i.name for i in spec.indicators}
    ids = list(matrix.columns)
    labels = [catalogue.get(i, i) for i in ids]
    pairs = audit.correlations[audit.correlations["objective"] == objective]
    together = {(p.indicator, p.other): int(p.n) for p in pairs.itertuples()}
    together |= {(b, a): n for (a, b), n in together.items()}
    counts = results.normalised
    assert counts is not None  # an objective-level edition has no matrices
    present = counts[(counts["objective"] == objective) & counts["value"].notna()].groupby("indicator").size()
    cells = [
        {
            "indicator": labels[i],
            "other": labels[j],
            "r": None if pd.isna(matrix.iloc[i, j]) else round(float(matrix.iloc[i, j]), 2),
            "n": int(present.get(a, 0)) if a == b else together.get((a, b), 0),
        }
        for i, a in enumerate(ids)
        for j, b in enumerate(ids)
    ]
    data = pd.DataFrame(cells, columns=["indicator", "other", "r", "n"])
    data["label"] = [("–" if r is None or pd.isna(r) else f"{r:.2f}") for r in data["r"]]
    off = data[data["indicator"] != data["other"]].dropna(subset=["r"])
    description = (
        f"Heatmap of the correlations between the {len(ids)} indicators of {name} in {spec.title} over "
        f"the ranked countries, from −1 (red) to +1 (blue)" + _spread(off["r"])
    )
    table = pd.DataFrame(
        {"indicator": labels} | {label: list(data["r"].iloc[j :: len(ids)]) for j, label in enumerate(labels)}
    )
    title = f"{spec.title}: correlations within {name}"
    built = HEATMAP.spec([data], title, description, order=tuple(labels))
    # the title starts above the indicator names, not the cells: its room is the whole chart's width, not
    # the cells' (`width`, ~180 px on a phone), so it is not cut to it (0: Vega's "no limit")
    built["title"] = {**built["title"], "limit": 0}
    return Chart(f"heatmap-{spec.id}-{objective}", title, description, built, table)


def _spread(r: pd.Series) -> str:
    # how far apart the r values of the distinct pairs (each counted twice) lie, ending the description
    if r.empty:
        return "."
    if r.min() == r.max():
        return f"; r = {r.min():.2f}."
    return f"; r ranges from {r.min():.2f} to {r.max():.2f} between different indicators."


def _heatmap(data: Data, *, order: tuple[str, ...]) -> alt.TopLevelMixin:
    base = alt.Chart().encode(
        x=alt.X("other:N", sort=list(order), title=None, axis=alt.Axis(labelAngle=-40, labelLimit=140)),
        y=alt.Y("indicator:N", sort=list(order), title=None),
        tooltip=[
            alt.Tooltip("indicator:N", title="Indicator"),
            alt.Tooltip("other:N", title="Other indicator"),
            alt.Tooltip("r:Q", title="r", format=".2f"),
            alt.Tooltip("n:Q", title="Countries"),
        ],
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "r:Q",
            title="r",
            scale=alt.Scale(scheme="redblue", domain=[-1, 1]),
            legend=alt.Legend(orient="bottom", values=[-1, -0.5, 0, 0.5, 1], format="+.1~f"),
        )
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition("abs(datum.r) > 0.6", alt.value("white"), alt.value("black")),
    )
    return alt.layer(cells, text, data=data).properties(width=WIDTH, height=32 * len(order))


HEATMAP = Family(_heatmap)


def objective_overall(results: Results, audit: Audit) -> Chart:
    """Each objective's correlation with the overall score (Pearson r, −1…+1, over the ranked
    countries), a bar each in the definition's order."""
    spec = results.spec
    names = objective_names(results)
    rows = audit.objective_overall
    data = pd.DataFrame(
        {
            "objective_name": [names[o] for o in rows["objective"]],
            "r": [None if pd.isna(r) else round(float(r), 2) for r in rows["r"]],
            "n": rows["n"].astype(int).to_list(),
            "url": [page_url("objective", o) for o in rows["objective"]],
        }
    )
    known = data.dropna(subset=["r"])
    lowest = known.loc[known["r"].idxmin()] if len(known) else None
    description = (
        f"Bar chart of the correlation of each of the {len(data)} objective scores of {spec.title} with the "
        f"overall score, over the ranked countries, on a scale from −1 to +1"
        + (f"; the lowest is {lowest['objective_name']} at {lowest['r']:.2f}." if lowest is not None else ".")
    )
    table = data[["objective_name", "r"]].rename(
        columns={"objective_name": "objective", "r": "r with overall"}
    )
    title = f"{spec.title}: each objective's correlation with the overall score"
    built = OBJECTIVE_OVERALL.spec([data], title, description, order=tuple(data["objective_name"]))
    return Chart(f"objective-overall-{spec.id}", title, description, built, table)


def _objective_overall(data: Data, *, order: tuple[str, ...]) -> alt.TopLevelMixin:
    return (
        alt.Chart(data)
        .mark_bar(color="#4e79a7")
        .encode(
            y=alt.Y("objective_name:N", sort=list(order), title=None),
            x=alt.X(
                "r:Q",
                title="Correlation with the overall score (r, −1…+1)",
                scale=alt.Scale(domain=[-1, 1]),
                axis=alt.Axis(values=[-1, -0.5, 0, 0.5, 1]),
            ),
            href=LINK,
            tooltip=[
                alt.Tooltip("objective_name:N", title="Objective"),
                alt.Tooltip("r:Q", title="r with overall", format=".2f"),
                alt.Tooltip("n:Q", title="Countries"),
            ],
        )
        .properties(width=WIDTH, height=24 * len(order))
    )


OBJECTIVE_OVERALL = Family(_objective_overall)
