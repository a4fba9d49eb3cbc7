"""Published figures against computed ones: does the data reproduce what the index authors published?

An edition's `facts.csv` lists figures the authors published (ranks, scores, capabilities, intents).
`check` compares each with the results, so the site can say exactly which published figures the
(possibly estimated) data reproduces, instead of asserting it. A fact kind is `<level>_<measure>`
(`scoring.inputs.schema.FACT_KINDS`): the level says where to look (the overall results or those per
objective), the measure which column (rank, score, capability, intent).

Some published statements are not single figures, and are checked as what they say:

- a rank with a tolerance is a range: `objective_rank` 5.5 ± 0.5 is "5th or 6th";
- `objective_above` (iso3 above `other` on the objective): computed as the places between them,
  rank of `other` − rank of iso3; it holds when that is at least the published value (1: "above");
- `objective_rise` (iso3 rose on the objective since the previous edition): computed as the previous
  edition's objective rank − this edition's; it holds when that is at least the published value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # the engine itself reads published_ranks from here
    from scoring.method.engine import Results

DEFAULT_TOLERANCE = 0.001
AT_LEAST = ("objective_above", "objective_rise")  # one-sided: places above, places risen


@dataclass(frozen=True)
class FactCheck:
    fact: str  # a kind of schema.FACT_KINDS: overall_rank, overall_score, ..., objective_capability
    iso3: str
    objective: str  # "" for the overall_ kinds
    published: float
    computed: float | None  # None when the country is not ranked or not in the edition
    tolerance: float
    sources: str  # source ids, space-separated
    other: str = ""  # the country compared with, for objective_above
    previous: str = ""  # the edition compared with, for objective_rise (its id)

    @property
    def agrees(self) -> bool:
        allowed = self.tolerance if self.is_point else 0.0
        return self.difference is not None and self.difference <= allowed + 1e-9

    @property
    def difference(self) -> float | None:
        """How far the computed figure is from the published one (None when nothing was computed): for
        a rank range or an "at least" statement, how far outside it (0 when it holds)."""
        if self.computed is None:
            return None
        if self.is_at_least:
            return max(0.0, self.published - self.computed)
        gap = abs(self.computed - self.published)
        return gap if self.is_point else max(0.0, gap - self.tolerance)

    @property
    def is_rank(self) -> bool:
        """Whether the figure counts places (a rank, places above, places risen): shown without decimals."""
        return self.fact.endswith("_rank") or self.is_at_least

    @property
    def is_at_least(self) -> bool:
        return self.fact in AT_LEAST

    @property
    def is_point(self) -> bool:
        """A single figure, agreeing within its tolerance (not a rank range, not an "at least")."""
        return not self.is_at_least and not (self.fact.endswith("_rank") and self.tolerance > 0)

    @property
    def low(self) -> float:
        """The lowest computed figure that agrees (a rank range's best rank)."""
        return self.published if self.is_at_least else self.published - self.tolerance

    @property
    def high(self) -> float:
        """The highest computed figure that agrees (inf for an "at least" statement)."""
        return math.inf if self.is_at_least else self.published + self.tolerance


def check(facts: pd.DataFrame, results: Results, previous: Results | None = None) -> list[FactCheck]:
    """One FactCheck per row of `facts`, in file order; `previous` is the edition an `objective_rise`
    compares with (see `previous_edition`), its rises computed as None without one."""
    overall = results.overall
    objectives = results.objectives.set_index(["iso3", "objective"])
    before = None if previous is None else previous.objectives.set_index(["iso3", "objective"])["rank"]
    ranks = objectives["rank"]
    checks = []
    for row in facts.itertuples():
        objective = _text(row.objective)
        other = _text(getattr(row, "other", ""))
        level, measure = str(row.fact).split("_", 1)
        computed: object = None
        if level == "overall" and row.iso3 in overall.index:
            computed = overall.loc[row.iso3, measure]
        elif measure == "above":
            computed = _places(ranks, (other, objective), ranks, (row.iso3, objective))
        elif measure == "rise":
            computed = (
                None
                if before is None
                else _places(before, (row.iso3, objective), ranks, (row.iso3, objective))
            )
        elif level == "objective" and (row.iso3, objective) in objectives.index:
            computed = objectives.loc[(row.iso3, objective), measure]
        value = None if computed is None or pd.isna(computed) else float(computed)  # type: ignore[arg-type]
        given = None if pd.isna(row.tolerance) else float(row.tolerance)
        default = 0.0 if measure in ("rank", "above", "rise") else DEFAULT_TOLERANCE
        checks.append(
            FactCheck(
                str(row.fact),
                str(row.iso3),
                objective,
                float(row.value),
                value,
                default if given is None or measure in ("above", "rise") else given,
                str(row.sources),
                other,
                previous.spec.id if previous is not None and measure == "rise" else "",
            )
        )
    return checks


def previous_edition(result: Results, editions: list[Results]) -> Results | None:
    """The newest of `editions` older than `result` (by year): what an `objective_rise` compares with."""
    older = [e for e in editions if e.spec.year < result.spec.year]
    return max(older, key=lambda e: e.spec.year) if older else None


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _places(first: pd.Series, a: tuple[str, str], second: pd.Series, b: tuple[str, str]) -> object:
    # rank a (in first) − rank b (in second): places b is above a; None when either is not ranked
    if a not in first.index or b not in second.index or pd.isna(first[a]) or pd.isna(second[b]):
        return None
    return float(first[a]) - float(second[b])


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
