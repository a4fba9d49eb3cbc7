"""The compare page's charts: up to six countries of one edition side by side.

Each chart holds every ranked country of the edition and shows those of its `selection` parameter (a
list of ISO3 codes; the build draws the default pair). The page's script (compare.js) sets that
parameter of the compiled Vega spec, so no Vega-Lite compiler runs in the browser. A country keeps its
colour by its place in the selection (`slot`), so the legend, both charts and the menus agree.

`tables` gives each chart's table for every ranked country, already as the text the page shows, so
the static table (the default pair) and the one the script builds for another selection are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

import altair as alt
import pandas as pd

from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.outputs.text import number
from scoring.pages.charts.base import (
    DARK_MODE,
    POSTURE_COLOURS,
    PUBLISHED,
    TENS,
    WIDTH,
    Basis,
    Chart,
    Data,
    Family,
    basis_clause,
    basis_of,
    dark_mode,
    marked,
    number_tooltip,
    objective_names,
    objective_order,
    places,
    rank_labels,
)

_Selectable = TypeVar("_Selectable", alt.Chart, alt.LayerChart)
MAX_COUNTRIES = 6
# Okabe & Ito's colour-blind-safe categorical colours without black and yellow (lost on a dark or a
# light background): six that stay apart in both palettes, in the order countries are chosen
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
POSTURE_SHAPES = {"attack-heavy": "triangle-up", "balanced": "circle", "defensive": "square"}
SELECTION = "selection"  # the Vega signal compare.js sets: the chosen ISO3 codes, in order
_SLOT = f"indexof({SELECTION}, datum.iso3)"


@dataclass(frozen=True)
class Tables:
    """A chart's table for every ranked country, as text: `lead` is the first column (objectives) of
    a table with one column per country, or None for a table with one row per country; `head` the
    header of each country's column (or the row table's headers); `cells` each country's cells."""

    lead: tuple[str, list[str]] | None
    head: dict[str, str] | list[str]
    cells: dict[str, list[str]]

    def table(self, countries: Sequence[str]) -> pd.DataFrame:
        """The table of `countries`, in that order."""
        if self.lead is not None:
            assert isinstance(self.head, dict)
            columns = {self.lead[0]: self.lead[1]} | {self.head[i]: self.cells[i] for i in countries}
            return pd.DataFrame(columns)
        return pd.DataFrame([self.cells[i] for i in countries], columns=list(self.head))


def scores(results: Results, countries: Sequence[str]) -> Chart:
    """The chosen countries' objective scores (0–100) side by side, one colour per country; the
    tooltip adds capability (0–100), intent (0–1) and the rank on the objective."""
    spec = results.spec
    chosen = _names(results, countries)
    basis = basis_of(results.overall["basis"])
    description = (
        f"Grouped bar chart of objective scores in {spec.title}: {_listed(chosen)}, one colour each "
        f"(see the legend){basis_clause(basis, 'scores')}. The menus above choose up to "
        f"{MAX_COUNTRIES} countries."
    )
    title = f"{spec.title}: objective scores"
    built = SCORES.spec(
        [_objective_rows(results)],
        title,
        description,
        sort=objective_order(results),
        selection=tuple(countries),
        basis=basis,
    )
    table = score_tables(results).table(countries)
    return Chart(f"compare-{spec.id}", title, description, built, table)


def capability_intent(results: Results, countries: Sequence[str]) -> Chart:
    """The chosen countries' capability index (0–100) against their intent index (0–1), the marker's
    shape their posture (this project's reading)."""
    spec = results.spec
    chosen = _names(results, countries)
    basis = basis_of(results.overall["basis"])
    description = (
        f"Scatter plot of capability index against intent index in {spec.title}: {_listed(chosen)}, "
        f"one colour each, the marker's shape the posture{basis_clause(basis, 'values')}."
    )
    title = f"{spec.title}: capability, intent and posture"
    rows = _overall_rows(results)
    built = CAPINT.spec([rows], title, description, selection=tuple(countries), basis=basis)
    table = summary_tables(results).table(countries)
    return Chart(f"compare-capint-{spec.id}", title, description, built, table)


def _names(results: Results, countries: Sequence[str]) -> list[str]:
    return [str(results.overall.loc[i, "country"]) for i in countries]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@per_results
def _objective_rows(results: Results) -> pd.DataFrame:
    rows = results.objectives[results.objectives["iso3"].isin(results.ranked.index)].copy()
    rows["country"] = rows["iso3"].map(results.overall["country"])
    rows["objective_name"] = rows["objective"].map(objective_names(results))
    rows = rows.round({"score": 2, "capability": 1, "intent": 2})
    columns = ["iso3", "country", "objective_name", "score", "capability", "intent", "rank"]
    if basis_of(results.overall["basis"]):
        rows["rank_label"] = rank_labels(rows["rank"], rows["basis"])
        columns.append("rank_label")
    return rows[columns].reset_index(drop=True)


@per_results
def _overall_rows(results: Results) -> pd.DataFrame:
    ranked = results.ranked
    rows = ranked.reset_index()[["iso3", "country", "score", "capability", "intent", "posture", "rank"]]
    rows = rows.round({"score": 2, "capability": 1, "intent": 2})
    rows["rank_label"] = rank_labels(ranked["rank"], ranked["rank_basis"])
    rows["label"] = rows["country"] + " (" + rows["posture"].astype(str) + ")"
    return rows


def _objective_tooltip(basis: Basis) -> list[alt.Tooltip]:
    rank = (
        alt.Tooltip("rank_label:N", title="Rank on objective")
        if basis
        else alt.Tooltip("rank:Q", title="Rank on objective")
    )
    return [
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("objective_name:N", title="Objective"),
        number_tooltip("score", places(2, basis), basis),
        number_tooltip("capability", places(1, basis), basis),
        number_tooltip("intent", places(2, basis, unit_scale=True), basis),
        rank,
    ]


def _country_colour() -> alt.Color:
    # the domain follows the selection's order (slot), so the first chosen country takes the first colour
    return alt.Color(
        "country:N",
        title="Country",
        sort=alt.EncodingSortField("slot", op="min"),
        scale=alt.Scale(range=list(PALETTE)),
        legend=alt.Legend(orient="bottom", direction="horizontal", columns=3, labelLimit=150),
    )


def _selected(chart: _Selectable, selection: tuple[str, ...]) -> _Selectable:
    chosen = alt.param(name=SELECTION, value=list(selection))
    return chart.transform_filter(f"{_SLOT} >= 0").transform_calculate(slot=_SLOT).add_params(chosen)


def _scores(
    data: Data, *, sort: tuple[str, ...], selection: tuple[str, ...], basis: Basis = PUBLISHED
) -> alt.TopLevelMixin:
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("objective_name:N", sort=list(sort), title=None),
            yOffset=alt.YOffset("country:N", sort=alt.EncodingSortField("slot", op="min")),
            x=alt.X(
                "score:Q",
                title=marked("Objective score (0–100)", basis),
                scale=alt.Scale(domain=[0, 100]),
                axis=TENS,
            ),
            color=_country_colour(),
            tooltip=_objective_tooltip(basis),
        )
        # a bar is 14 px high: an objective's band grows with the number of countries chosen
        .properties(width=WIDTH, height=alt.Step(14))
    )
    return _selected(chart, selection)


SCORES = Family(_scores)


# where a label goes: right of a marker in the chart's left half, left of it in the right half
_SIDES: tuple[tuple[Literal["left", "right"], int, str], ...] = (("left", 9, "<="), ("right", -9, ">"))


def _capint(data: Data, *, selection: tuple[str, ...], basis: Basis = PUBLISHED) -> alt.TopLevelMixin:
    rank = alt.Tooltip("rank_label:N", title="Overall rank")
    base = alt.Chart(data).encode(
        x=alt.X(
            "capability:Q",
            title=marked("Capability index (0–100)", basis),
            scale=alt.Scale(domain=[0, 100]),
            axis=TENS,
        ),
        y=alt.Y("intent:Q", title=marked("Intent index (0–1)", basis), scale=alt.Scale(domain=[0, 1])),
    )
    points = base.mark_point(filled=True, size=160, opacity=1).encode(
        color=_country_colour(),
        # the posture in the marker's shape, and in words in the label beside it
        shape=alt.Shape(
            "posture:N",
            scale=alt.Scale(domain=list(POSTURE_COLOURS), range=list(POSTURE_SHAPES.values())),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("country:N", title="Country"),
            rank,
            number_tooltip("score", places(2, basis), basis, title="Overall score"),
            number_tooltip("capability", places(1, basis), basis, title="Capability index"),
            number_tooltip("intent", places(2, basis, unit_scale=True), basis, title="Intent index"),
            alt.Tooltip("posture:N", title="Posture"),
        ],
    )
    # "China (balanced)", right of the marker, or left of it in the right half, so that it stays inside
    dark = dark_mode()  # set by charts.js in the dark palette
    fill = alt.ExprRef(f"{DARK_MODE} ? '#e0e0e0' : '#222222'")
    # (above it for the 1st, 3rd, 5th country chosen, below for the others: close markers' labels part)
    labels = [
        base.mark_text(align=align, dx=dx, dy=dy, fontSize=11, fill=fill)
        .encode(text="label:N")
        .transform_filter(f"datum.capability {side} 50 && datum.slot % 2 == {odd}")
        for align, dx, side in _SIDES
        for dy, odd in ((-10, 0), (12, 1))
    ]
    layered = alt.LayerChart(layer=[points, *labels]).add_params(dark)
    return _selected(layered, selection).properties(width=WIDTH, height=260)


CAPINT = Family(_capint)


def _cells(values: pd.Series, places: int) -> list[str]:
    return [number(v, places) for v in values]


@per_results
def score_tables(results: Results) -> Tables:
    """The objective scores of every ranked country: one column each, headed by its name and "(estimate)"
    in an estimated edition ("(assessed)" in one of the analysts' values), whose scores are shown to
    the whole point."""
    basis = basis_of(results.overall["basis"])
    order = list(results.spec.objective_ids)
    wide = results.objectives.pivot(index="objective", columns="iso3", values="score").reindex(order)
    countries = list(results.ranked.index)
    names = objective_names(results)
    return Tables(
        lead=("objective", [names[o] for o in order]),
        head={i: marked(str(results.overall.loc[i, "country"]), basis) for i in countries},
        cells={i: _cells(wide[i], places(2, basis)) for i in countries},
    )


@per_results
def summary_tables(results: Results) -> Tables:
    """Every ranked country's overall rank and score, capability and intent indexes and posture, one
    row each; in an edition with estimated or assessed values the headers say which values are ("17 est."
    or "17 assessed" for a rank)."""
    basis = basis_of(results.overall["basis"])
    ranked = results.ranked
    head = [
        "country",
        "rank",
        marked("score", basis),
        marked("capability", basis),
        marked("intent", basis),
        "posture",
    ]
    ranks = dict(zip(ranked.index, rank_labels(ranked["rank"], ranked["rank_basis"]), strict=True))
    cells = {
        str(i): [
            str(row["country"]),
            ranks[i] or "–",
            number(row["score"], places(2, basis)),
            number(row["capability"], places(1, basis)),
            number(row["intent"], places(2, basis, unit_scale=True)),
            str(row["posture"]),
        ]
        for i, row in ranked.iterrows()
    }
    return Tables(lead=None, head=head, cells=cells)


def page_data(results: Results, countries: Sequence[str]) -> dict[str, object]:
    """What compare.js needs of one edition: the countries it may offer (ranked, by name), the
    selection the page starts with, and each chart's tables for every ranked country."""
    ranked = results.ranked.sort_values("country")
    spec = results.spec
    return {
        "id": spec.id,
        "title": spec.title,
        "chosen": list(countries),
        "countries": [[str(i), str(name)] for i, name in ranked["country"].items()],
        "tables": {
            f"compare-{spec.id}": _json(score_tables(results)),
            f"compare-capint-{spec.id}": _json(summary_tables(results)),
        },
    }


def _json(tables: Tables) -> dict[str, object]:
    return {"lead": tables.lead, "head": tables.head, "cells": tables.cells}
