"""Published figures against computed ones: does the data reproduce what the index authors published?

An edition's `facts.csv` lists figures the authors published (ranks, objective scores). `check` compares
each with the results, so the site can say exactly which published figures the (possibly estimated)
data reproduces, instead of asserting it.
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
    fact: str  # overall_rank | objective_rank | objective_score
    iso3: str
    objective: str  # "" for overall_rank
    published: float
    computed: float | None  # None when the country is not ranked or not in the edition
    tolerance: float
    sources: str  # source ids, space-separated

    @property
    def agrees(self) -> bool:
        return self.computed is not None and abs(self.computed - self.published) <= self.tolerance + 1e-9


def check(facts: pd.DataFrame, results: Results) -> list[FactCheck]:
    """One FactCheck per row of `facts`, in file order."""
    overall = results.overall
    objectives = results.objectives.set_index(["iso3", "objective"])
    checks = []
    for row in facts.itertuples():
        objective = "" if pd.isna(row.objective) else str(row.objective)
        computed: object = None
        if row.fact == "overall_rank" and row.iso3 in overall.index:
            computed = overall.loc[row.iso3, "rank"]
        elif (row.iso3, objective) in objectives.index:
            computed = objectives.loc[
                (row.iso3, objective), "rank" if row.fact == "objective_rank" else "score"
            ]
        value = None if computed is None or pd.isna(computed) else float(computed)  # type: ignore[arg-type]
        tolerance = DEFAULT_TOLERANCE if pd.isna(row.tolerance) else float(row.tolerance)
        checks.append(
            FactCheck(
                str(row.fact),
                str(row.iso3),
                objective,
                float(row.value),
                value,
                0.0 if "rank" in str(row.fact) else tolerance,
                str(row.sources),
            )
        )
    return checks


def published_ranks(facts: pd.DataFrame) -> dict[str, float]:
    """iso3 -> the overall rank the authors published, where they did."""
    ranks = facts[facts["fact"] == "overall_rank"]
    return {str(i): float(v) for i, v in zip(ranks["iso3"], ranks["value"], strict=True) if not math.isnan(v)}
