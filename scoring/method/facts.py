"""Published figures against computed ones: does the data reproduce what the index authors published?

An edition's `facts.csv` lists figures the authors published (ranks, scores, capabilities, intents).
`check` compares each with the results, so the site can say exactly which published figures the
(possibly estimated) data reproduces, instead of asserting it. A fact kind is `<level>_<measure>`
(`scoring.inputs.schema.FACT_KINDS`): the level says where to look (the overall results or those per
objective), the measure which column (rank, score, capability, intent).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # the engine itself reads published_ranks from here
    from scoring.method.engine import Results

DEFAULT_TOLERANCE = 0.001


@dataclass(frozen=True)
class FactCheck:
    fact: str  # a kind of schema.FACT_KINDS: overall_rank, overall_score, ..., objective_capability
    iso3: str
    objective: str  # "" for the overall_ kinds
    published: float
    computed: float | None  # None when the country is not ranked or not in the edition
    tolerance: float
    sources: str  # source ids, space-separated

    @property
    def agrees(self) -> bool:
        return self.difference is not None and self.difference <= self.tolerance + 1e-9

    @property
    def difference(self) -> float | None:
        """How far the computed figure is from the published one (None when nothing was computed)."""
        return None if self.computed is None else abs(self.computed - self.published)

    @property
    def is_rank(self) -> bool:
        return self.fact.endswith("_rank")


def check(facts: pd.DataFrame, results: Results) -> list[FactCheck]:
    """One FactCheck per row of `facts`, in file order."""
    overall = results.overall
    objectives = results.objectives.set_index(["iso3", "objective"])
    checks = []
    for row in facts.itertuples():
        objective = "" if pd.isna(row.objective) else str(row.objective)
        level, measure = str(row.fact).split("_", 1)
        computed: object = None
        if level == "overall" and row.iso3 in overall.index:
            computed = overall.loc[row.iso3, measure]
        elif level == "objective" and (row.iso3, objective) in objectives.index:
            computed = objectives.loc[(row.iso3, objective), measure]
        value = None if computed is None or pd.isna(computed) else float(computed)  # type: ignore[arg-type]
        tolerance = DEFAULT_TOLERANCE if pd.isna(row.tolerance) else float(row.tolerance)
        checks.append(
            FactCheck(
                str(row.fact),
                str(row.iso3),
                objective,
                float(row.value),
                value,
                0.0 if measure == "rank" else tolerance,
                str(row.sources),
            )
        )
    return checks


@dataclass(frozen=True)
class FactSummary:
    """How the published figures of one kind fare: counted, agreeing, and the largest difference."""

    fact: str
    count: int
    agreeing: int
    largest_difference: float | None  # None when no figure of the kind was computed


def summarise(checks: list[FactCheck]) -> list[FactSummary]:
    """One FactSummary per fact kind, in order of first appearance."""
    kinds: dict[str, list[FactCheck]] = {}
    for c in checks:
        kinds.setdefault(c.fact, []).append(c)
    summaries = []
    for kind, group in kinds.items():
        differences = [c.difference for c in group if c.difference is not None]
        summaries.append(
            FactSummary(kind, len(group), sum(c.agrees for c in group), max(differences, default=None))
        )
    return summaries


def published_ranks(facts: pd.DataFrame) -> dict[str, float]:
    """iso3 -> the overall rank the authors published, where they did."""
    ranks = facts[facts["fact"] == "overall_rank"]
    return {str(i): float(v) for i, v in zip(ranks["iso3"], ranks["value"], strict=True) if not math.isnan(v)}
