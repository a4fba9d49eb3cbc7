"""Estimate NCPI 2022 capability and intent per country and objective, reproducibly.

The 2022 report publishes ranks and a few scores but no per-country values. This script builds the
smallest documented set of values that reproduces every published figure in `data/ncpi-2022/facts.csv`
when scored with the default method. The method is written out in `data/ncpi-2022/METHOD.md`; in short:

1. Start from NCPI 2020: capability and intent per objective as computed from the 2020 raw data.
   North Korea, unranked in 2020, starts from its measured 2020 indicators (13 of 31) scaled against
   the 2020 cohort's range (available-case mean), and its published 2020 intents.
2. Financial (new in 2022): capability starts from the commercial capability; intent is 0 unless a
   financial score was published, in which case intent = score / capability (capped at 1, the
   capability then raised to the score).
3. Overall ranks: the least-squares smallest change of overall scores that puts ranks 1–16 in the
   published order (0.25 points apart) above everyone else is found by isotonic regression; each
   country then reaches its target by one factor applied to both its capabilities (capped at 100)
   and its intents (capped at 1) on the seven 2020 objectives; financial is left as published.
4. Per-objective statements (a rank or rank range, one country above another, a rise since 2020): each one
   that does not hold yet moves the scores it names by the least that makes it hold (both countries
   of an "above" by half the gap each), and the country's other objectives, by one factor, give the
   change back, so its overall score, and with it every overall rank, stays where step 3 put it.
   Repeated, in file order, until every statement holds; then the whole edition is scored by the
   engine and every published figure checked.

Usage: python scripts/estimate_ncpi_2022.py [--out FILE]
(writes data/ncpi-2022/objectives.csv, or FILE, and prints how far the estimates moved)
"""

from __future__ import annotations

import csv
import dataclasses
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.inputs.load import load_project
from scoring.method import facts as published
from scoring.method.engine import Results, run
from scoring.method.normalise import orient

EDITION = "ncpi-2022"
SOURCE = "cyberpower-estimate-2022"
MARGIN = 0.25  # points between consecutive published ranks
REST_MARGIN = 0.05  # points kept between the unpublished ranks, so that no tie is invented
FINANCIAL = "financial"
PROXY = "commercial"  # the 2020 objective whose capability seeds financial capability
OBJECTIVE_MARGIN = 0.5  # points an objective statement's scores are moved past the line it draws
ROUNDS = 100  # at most this many corrections before giving up (each fixes one statement)


def start_values(project, results: Results) -> tuple[pd.DataFrame, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """2020 capability (0–100) and intent (0–1), country × objective, North Korea from partial data."""
    edition = project.editions["ncpi-2020"]
    table = results.objectives.set_index(["iso3", "objective"])
    capability = table["capability"].unstack()[list(edition.spec.objective_ids)]
    intent = table["intent"].unstack()[list(edition.spec.objective_ids)]

    # Unranked countries: their measured indicators against the ranked cohort's range, available-case.
    values = edition.values.pivot(index="iso3", columns="indicator", values="value")
    cohort = values.loc[results.overall.index[results.overall["ranked"]]]
    low, high = cohort.min(), cohort.max()
    scaled = ((values - low) / (high - low).replace(0, np.nan)).clip(0, 1)
    for iso3 in results.overall.index[~results.overall["ranked"]]:
        for objective in edition.spec.objectives:
            ids = [u.id for u in objective.indicators]
            oriented = orient(scaled.loc[[iso3], ids], {u.id: u.direction for u in objective.indicators})
            capability.loc[iso3, objective.id] = 100 * oriented.mean(axis=1, skipna=True).iloc[0]
    return capability, intent


def isotonic_targets(start: pd.Series, order: list[str]) -> pd.Series:
    """Least-squares closest scores with `order` strictly first, MARGIN apart, then everyone else."""
    rest = start.drop(order).sort_values(ascending=False).index.tolist()
    chain = order + rest
    margins = np.array([MARGIN if i < len(order) else REST_MARGIN for i in range(len(chain))])
    cumulative = margins[::-1].cumsum()[::-1]  # C_i: margins from i to the end of the chain
    y = start[chain].to_numpy() - cumulative
    blocks: list[list[float]] = []  # [sum, count]
    for value in y:  # pool adjacent violators, non-increasing
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] < blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    fitted = np.concatenate([[s / c] * int(c) for s, c in blocks])
    return pd.Series(fitted + cumulative, index=chain)


def reach(
    target: float, capability: pd.Series, intent: pd.Series, free: list[str]
) -> tuple[pd.Series, pd.Series]:
    """One factor f on the free objectives' capability (capped at 100) and intent (capped at 1) alike.

    Scaling both shares the change between them (the score moves by about f²) instead of pushing
    intents alone to their cap; f is found by bisection to hit `target`.
    """

    def scaled(f: float) -> tuple[pd.Series, pd.Series]:
        cap, inten = capability.copy(), intent.copy()
        cap[free] = (capability[free] * f).clip(upper=100.0)
        inten[free] = (intent[free] * f).clip(upper=1.0)
        return cap, inten

    def score(f: float) -> float:
        cap, inten = scaled(f)
        return float((cap * inten).mean())

    low, high = 0.0, 1.0
    while score(high) < target:
        if high > 1e6:
            raise SystemExit(f"cannot reach {target:.3f}: capability and intent are at their caps")
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if score(middle) < target else (low, middle)
    return scaled(high)


@dataclasses.dataclass(frozen=True)
class Statement:
    """A published per-objective statement as a line the scores must keep: `iso3` ranks within
    [low, high] on `objective`, or (`other` set) ranks above `other` on it."""

    row: int  # 1-based line of facts.csv, for messages
    iso3: str
    objective: str
    low: float = 1
    high: float = math.inf
    other: str = ""

    def holds(self, scores: pd.DataFrame) -> bool:
        column = scores[self.objective]
        if self.other:
            return bool(column[self.iso3] > column[self.other])
        rank = 1 + int((column.drop(self.iso3) > column[self.iso3]).sum())
        return self.low - 1e-9 <= rank <= self.high + 1e-9

    def targets(self, scores: pd.DataFrame) -> dict[str, float]:
        """The scores (per country) on `objective` that make the statement hold with the least change."""
        column = scores[self.objective]
        if self.other:
            middle = (column[self.iso3] + column[self.other]) / 2
            return {
                self.iso3: middle + OBJECTIVE_MARGIN / 2,
                self.other: max(0.0, middle - OBJECTIVE_MARGIN / 2),
            }
        others = column.drop(self.iso3).sort_values(ascending=False).to_numpy()
        rank = 1 + int((others > column[self.iso3]).sum())
        if rank > self.high:  # pass the high-th best other: at most high - 1 remain above
            return {self.iso3: others[int(self.high) - 1] + OBJECTIVE_MARGIN}
        below = others[int(self.low) - 2]  # the (low - 1)-th best other must stay above
        if below <= OBJECTIVE_MARGIN:
            raise SystemExit(
                f"facts.csv:{self.row}: {self.iso3} cannot rank {self.low:g} or lower on {self.objective}"
            )
        return {self.iso3: below - OBJECTIVE_MARGIN}


def statements(facts: pd.DataFrame, previous_ranks: pd.Series) -> list[Statement]:
    """The per-objective statements of facts.csv: ranks (a range with a tolerance), above, rise."""
    found = []
    for fact in facts.itertuples():
        row = int(getattr(fact, "line", 0))
        tolerance = 0.0 if pd.isna(fact.tolerance) else float(fact.tolerance)
        if fact.fact == "objective_rank":
            found.append(
                Statement(row, fact.iso3, fact.objective, fact.value - tolerance, fact.value + tolerance)
            )
        elif fact.fact == "objective_above":
            found.append(Statement(row, fact.iso3, fact.objective, other=fact.other))
        elif fact.fact == "objective_rise":
            found.append(
                Statement(
                    row,
                    fact.iso3,
                    fact.objective,
                    high=previous_ranks[(fact.iso3, fact.objective)] - fact.value,
                )
            )
    return found


def set_score(target: float, capability: float, intent: float) -> tuple[float, float]:
    """Capability and intent whose product is `target`, both scaled alike from where they are (an
    intent of 0 is raised alone), capability capped at 100 and intent at 1."""
    if capability > 0 and intent > 0:
        f = math.sqrt(target / (capability * intent))
        capability, intent = capability * f, intent * f
    elif capability > 0:
        intent = target / capability
    else:
        capability = target / max(intent, 1e-9)
    if intent > 1:
        capability, intent = target, 1.0
    if capability > 100:
        capability, intent = 100.0, target / 100
    return capability, intent


def fit_statements(
    capability: pd.DataFrame, intent: pd.DataFrame, found: list[Statement], overall: pd.Series
) -> list[str]:
    """Move scores until every statement holds, each country's overall score kept (`overall`); in
    place. Returns one line per correction, for the report."""
    pinned: dict[str, set[str]] = {iso3: {FINANCIAL} for iso3 in capability.index}
    for s in found:
        pinned[s.iso3].add(s.objective)
        if s.other:
            pinned[s.other].add(s.objective)
    log = []
    for _ in range(ROUNDS):
        scores = capability * intent
        broken = [s for s in found if not s.holds(scores)]
        if not broken:
            return log
        statement = broken[0]
        for iso3, target in statement.targets(scores).items():
            before = scores.loc[iso3, statement.objective]
            capability.loc[iso3, statement.objective], intent.loc[iso3, statement.objective] = set_score(
                target, capability.loc[iso3, statement.objective], intent.loc[iso3, statement.objective]
            )
            free = [o for o in capability.columns if o not in pinned[iso3]]
            capability.loc[iso3], intent.loc[iso3] = reach(
                overall[iso3], capability.loc[iso3], intent.loc[iso3], free
            )
            log.append(f"  line {statement.row}: {iso3} {statement.objective} {before:7.3f} -> {target:7.3f}")
    unmet = [f"facts.csv:{s.row}" for s in found if not s.holds(capability * intent)]
    raise SystemExit(f"statements that cannot hold together after {ROUNDS} corrections: {', '.join(unmet)}")


def main(argv: list[str]) -> int:
    out = (
        Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "data" / EDITION / "objectives.csv"
    )
    project = load_project(ROOT / "data", ROOT / "indices")
    previous = run(project.editions["ncpi-2020"], project.countries)
    capability, intent = start_values(project, previous)
    spec = project.editions[EDITION].spec
    facts = project.editions[EDITION].facts
    objectives = list(spec.objective_ids)

    capability[FINANCIAL] = capability[PROXY]
    intent[FINANCIAL] = 0.0
    for fact in facts[(facts["fact"] == "objective_score") & (facts["objective"] == FINANCIAL)].itertuples():
        if fact.value > capability.loc[fact.iso3, FINANCIAL]:
            capability.loc[fact.iso3, FINANCIAL], intent.loc[fact.iso3, FINANCIAL] = fact.value, 1.0
        elif fact.value > 0:
            intent.loc[fact.iso3, FINANCIAL] = fact.value / capability.loc[fact.iso3, FINANCIAL]
    capability, intent = capability[objectives].round(3), intent[objectives].round(4)
    start_capability, start_intent = capability.copy(), intent.copy()

    ranks = facts[facts["fact"] == "overall_rank"].sort_values("value")
    start_scores = (capability * intent).mean(axis=1)
    targets = isotonic_targets(start_scores, ranks["iso3"].tolist())
    free = [o for o in objectives if o != FINANCIAL]
    for iso3, target in targets.items():
        if abs(target - start_scores[iso3]) > 1e-9:
            capability.loc[iso3], intent.loc[iso3] = reach(
                target, capability.loc[iso3], intent.loc[iso3], free
            )
    overall = (capability * intent).mean(axis=1)
    previous_ranks = previous.objectives.set_index(["iso3", "objective"])["rank"]
    corrections = fit_statements(capability, intent, statements(facts, previous_ranks), overall)
    capability, intent = capability.round(3), intent.round(4)
    _verify(project, capability, intent, previous)

    rows = [
        [iso3, o, _text(capability.loc[iso3, o]), _text(intent.loc[iso3, o]), "estimated", SOURCE]
        for iso3 in sorted(capability.index)
        for o in objectives
    ]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso3", "objective", "capability", "intent", "basis", "source"])
        writer.writerows(rows)
    _report(start_capability, start_intent, capability, intent, start_scores, targets)
    print(f"per-objective corrections ({len(corrections)}):")
    print("\n".join(corrections))
    return 0


def _verify(project, capability: pd.DataFrame, intent: pd.DataFrame, previous: Results) -> None:  # type: ignore[no-untyped-def]
    """Score the estimates with the engine and check every published figure; stop if one fails."""
    edition = project.editions[EDITION]
    # an objective-level edition is loaded as given capabilities (`values`, one per objective) and intents
    values, intents = edition.values.copy(), edition.intents.copy()
    values["value"] = [capability.loc[i, o] for i, o in zip(values["iso3"], values["indicator"], strict=True)]
    intents["intent"] = [intent.loc[i, o] for i, o in zip(intents["iso3"], intents["objective"], strict=True)]
    results = run(dataclasses.replace(edition, values=values, intents=intents), project.countries)
    failed = [c for c in published.check(edition.facts, results, previous) if not c.agrees]
    if failed:
        raise SystemExit(
            "estimates do not reproduce: " + "; ".join(f"{c.fact} {c.iso3} {c.objective}" for c in failed)
        )


def _text(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value else "0"


def _report(
    c0: pd.DataFrame, i0: pd.DataFrame, c1: pd.DataFrame, i1: pd.DataFrame, s0: pd.Series, targets: pd.Series
) -> None:
    seven = [c for c in c0.columns if c != FINANCIAL]
    dc, di = (c1 - c0)[seven].abs(), (i1 - i0)[seven].abs()
    print(
        f"capability change vs start (7 objectives × {len(c0)} countries): "
        f"mean {dc.to_numpy().mean():.3f}, largest {dc.to_numpy().max():.3f} "
        f"({dc.stack().idxmax()}); changed {(dc > 1e-9).to_numpy().sum()} of {dc.size}"
    )
    print(
        f"intent change vs start: mean {di.to_numpy().mean():.4f}, largest {di.to_numpy().max():.4f} "
        f"({di.stack().idxmax()}); changed {(di > 1e-9).to_numpy().sum()} of {di.size}"
    )
    moved = targets - s0[targets.index]
    print(
        "overall score change vs start (points): "
        f"mean |Δ| {moved.abs().mean():.3f}, largest {moved.abs().max():.3f} ({moved.abs().idxmax()})"
    )
    for iso3 in targets.index:
        print(f"  {iso3}: {s0[iso3]:7.3f} -> {targets[iso3]:7.3f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
