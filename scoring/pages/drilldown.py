"""A country's capabilities taken apart, as the country page shows them (`scoring.method.explain`).

Rows of plain values for the country template: per objective, each indicator's raw value, oriented 0–1
value, direction, weight, contribution in capability points (summing to the capability), basis and
source; and the indicators on which the country stands highest and lowest among the ranked countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from scoring.method import explain
from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.outputs.text import missing
from scoring.pages.rows import records

STANDINGS = 5  # strengths and weaknesses shown


@dataclass(frozen=True)
class Contribution:
    """One indicator of one objective for one country: value raw (in `unit`), normalised oriented 0–1,
    contribution in points of the objective's capability (0–100); None where the value is missing."""

    indicator: str
    name: str
    unit: str
    value: float | None
    normalised: float | None
    direction: str
    weight: float
    contribution: float | None
    basis: str
    source: str


@dataclass(frozen=True)
class ObjectiveDrill:
    objective: str
    name: str
    capability: float | None  # 0–100: the sum of the contributions
    rows: list[Contribution]


@dataclass(frozen=True)
class Standing:
    """Where a country stands on one indicator among the ranked countries (1 = best, ties share)."""

    indicator: str
    name: str
    unit: str
    direction: str
    objectives: list[str]  # names of the objectives that count it this way
    value: float | None  # raw
    rank: int
    of: int


@dataclass(frozen=True)
class Drilldown:
    objectives: list[ObjectiveDrill]
    strengths: list[Standing]
    weaknesses: list[Standing]


def _plain(value: Any) -> Any:
    if missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


@per_results
def drilldowns(result: Results) -> dict[str, Drilldown]:
    """The drill-down of every ranked country (by iso3) in an indicator-level edition; empty otherwise."""
    contributed = explain.contributions(result)
    if contributed is None:
        return {}
    spec = result.spec
    catalogue = {i.id: i for i in spec.indicators}
    names = {o.id: o.name for o in spec.objectives}
    capabilities = result.objectives.set_index(["iso3", "objective"])["capability"]
    standing = explain.standings(contributed)
    found = {}
    for iso3, own in contributed.groupby("iso3", sort=False):
        raw = own.drop_duplicates("indicator").set_index("indicator")["value"]

        def standings(rows: pd.DataFrame, raw: pd.Series = raw) -> list[Standing]:
            return [
                Standing(
                    indicator=r["indicator"],
                    name=catalogue[r["indicator"]].name,
                    unit=catalogue[r["indicator"]].unit,
                    direction=r["direction"],
                    objectives=[names[o] for o in r["objectives"]],
                    value=_plain(raw.get(r["indicator"])),
                    rank=int(r["rank"]),
                    of=int(r["of"]),
                )
                for r in records(rows)
            ]

        by_objective = dict(list(own.groupby("objective", sort=False)))
        objectives = [
            ObjectiveDrill(
                objective=o.id,
                name=o.name,
                capability=_plain(capabilities.get((iso3, o.id))),
                rows=[_contribution(r, catalogue) for r in records(by_objective[o.id])],
            )
            for o in spec.objectives
        ]
        best, worst = explain.strengths_and_weaknesses(standing, str(iso3), STANDINGS)
        found[str(iso3)] = Drilldown(objectives, standings(best), standings(worst))
    return found


def _contribution(row: dict[str, Any], catalogue: dict[str, Any]) -> Contribution:
    indicator = catalogue[row["indicator"]]
    return Contribution(
        indicator=row["indicator"],
        name=indicator.name,
        unit=indicator.unit,
        value=_plain(row["value"]),
        normalised=_plain(row["normalised"]),
        direction=row["direction"],
        weight=float(row["weight"]),
        contribution=_plain(row["contribution"]),
        basis=str(row["basis"]) if not missing(row["basis"]) else "missing",
        source=str(row["source"]) if not missing(row["source"]) else "",
    )
