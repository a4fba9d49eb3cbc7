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

Usage: python scripts/estimate_ncpi_2022.py [--out FILE]
(writes data/ncpi-2022/objectives.csv, or FILE, and prints how far the estimates moved)
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.inputs.load import load_project
from scoring.method.engine import run
from scoring.method.normalise import orient

EDITION = "ncpi-2022"
SOURCE = "cyberpower-estimate-2022"
MARGIN = 0.25  # points between consecutive published ranks
REST_MARGIN = 0.05  # points kept between the unpublished ranks, so that no tie is invented
FINANCIAL = "financial"
PROXY = "commercial"  # the 2020 objective whose capability seeds financial capability


def start_values(project) -> tuple[pd.DataFrame, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """2020 capability (0–100) and intent (0–1), country × objective, North Korea from partial data."""
    edition = project.editions["ncpi-2020"]
    results = run(edition, project.countries)
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


def main(argv: list[str]) -> int:
    out = (
        Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "data" / EDITION / "objectives.csv"
    )
    project = load_project(ROOT / "data", ROOT / "indices")
    capability, intent = start_values(project)
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
    capability, intent = capability.round(3), intent.round(4)

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
    return 0


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
