"""The statistical audit of an edition (JRC/OECD ten-step practice; COINr's `get_corr_flags`,
`get_cronbach`, `get_stats`, `remove_elements`).

`analyse(edition, countries, results)` is pure and gives an `Audit`:

- `correlations`: Pearson r between each pair of indicators of an objective, over the oriented 0–1
  values of the ranked cohort (pairwise complete); flagged `negative` when r < 0 (the two pull the
  capability apart) and `above 0.9` when r > 0.9 (one nearly duplicates the other, so the pair counts
  twice). `matrices` holds the same per objective as a square frame.
- `objective_overall`: r between each objective's score and the overall score (ranked countries);
  flagged `negative` when r < 0.
- `alpha`: Cronbach's alpha of each objective's oriented indicators, from their pairwise covariance
  matrix C: α = k ÷ (k − 1) × (1 − tr C ÷ ΣC) (k indicators); flagged `below 0.7` (a weak scale).
- `statistics`: per used indicator, coverage (share of listed countries with a value, 0–1; flagged
  `below 0.65`), and over the ranked cohort's raw values the share of zeros (flagged `above 0.5`),
  skewness (adjusted Fisher–Pearson; flagged when |skew| > 2) and excess kurtosis (flagged when > 3.5).
  Both distribution flags together are the JRC rule for outliers worth treating.
- `removal`: the remove-one test. For each indicator (left out of every objective that uses it; an
  objective left empty goes too) and each objective, the edition is scored again with
  `engine.run(replace(spec, ...))`; over the countries ranked both times: the mean and the largest
  absolute change of overall rank (places), and the country that moved most (ties: the better-ranked).

An objective-level edition has no indicators (each capability is given): only `objective_overall` and
the objectives' removal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scoring.inputs.load import EditionData
from scoring.inputs.spec import IndexSpec
from scoring.method import engine
from scoring.method.engine import Results

HIGH_CORRELATION = 0.9  # within an objective, above this a pair nearly duplicates itself
LOW_ALPHA = 0.7  # Cronbach's alpha below this: the objective's indicators hardly measure one thing
LOW_COVERAGE = 0.65  # COINr's `t_avail`
MANY_ZEROS = 0.5  # COINr's `t_frc_same`, applied to zeros
SKEW = 2.0  # |skewness| above this (JRC, COINr `t_skew`)
KURTOSIS = 3.5  # excess kurtosis above this (JRC, COINr `t_kurt`)


# each indicator statistic: what is flagged, and how the flag reads
STATISTIC_FLAGS = {
    "coverage": (lambda v: v < LOW_COVERAGE, f"below {LOW_COVERAGE}"),
    "zeros": (lambda v: v > MANY_ZEROS, f"above {MANY_ZEROS}"),
    "skewness": (lambda v: v.abs() > SKEW, f"beyond ±{SKEW:g}"),
    "kurtosis": (lambda v: v > KURTOSIS, f"above {KURTOSIS}"),
}
FINDING_COLUMNS = [
    "check",
    "objective",
    "indicator",
    "other",
    "value",
    "n",
    "flag",
    "max_rank_change",
    "most_moved",
]


@dataclass(frozen=True)
class Audit:
    """One edition's audit (see the module docstring). Frames, with `flag` "" where nothing is flagged:

    - correlations: objective, indicator, other, r (−1…1), n, flag (each pair once, definition order)
    - matrices: objective -> indicator × indicator r
    - objective_overall: objective, r, n, flag
    - alpha: objective, alpha, k, n, flag
    - statistics: indicator, coverage (0–1), zeros (0–1), skewness, kurtosis, n, flag
    - removal: kind (`indicator` or `objective`), id, mean_shift, max_shift (places), n, most_moved
      (iso3), most_moved_change (signed places: + moved up)
    """

    edition: str
    correlations: pd.DataFrame
    matrices: dict[str, pd.DataFrame]
    objective_overall: pd.DataFrame
    alpha: pd.DataFrame
    statistics: pd.DataFrame
    removal: pd.DataFrame


def analyse(edition: EditionData, countries: pd.DataFrame, results: Results) -> Audit:
    """The audit of one scored edition (`results = engine.run(edition, countries)`)."""
    spec = edition.spec
    matrices: dict[str, pd.DataFrame] = {}
    alphas = []
    for objective in spec.objectives:
        measured = [u.id for u in objective.indicators if not u.given]
        if not measured:  # a given capability: no indicators to check
            continue
        values = _oriented(results, objective.id, measured)
        matrices[objective.id] = values.corr()
        alphas.append(
            dict(
                objective=objective.id,
                alpha=cronbach_alpha(values),
                k=values.shape[1],
                n=int(values.notna().all(axis=1).sum()),
            )
        )
    alpha = pd.DataFrame(alphas, columns=["objective", "alpha", "k", "n"])
    alpha["flag"] = np.where(alpha["alpha"] < LOW_ALPHA, f"below {LOW_ALPHA}", "")
    return Audit(
        edition=spec.id,
        correlations=_pairs(results, matrices),
        matrices=matrices,
        objective_overall=_objective_overall(results),
        alpha=alpha,
        statistics=_statistics(results),
        removal=remove_one(edition, countries, results),
    )


def _oriented(results: Results, objective: str, indicators: list[str]) -> pd.DataFrame:
    """Ranked countries × the objective's indicators: the oriented 0–1 values the capability used."""
    rows = results.normalised[results.normalised["objective"] == objective]
    return rows.pivot(index="iso3", columns="indicator", values="value").reindex(columns=indicators)


def cronbach_alpha(values: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of `values` (rows: countries), from the pairwise complete
    covariance matrix C: k ÷ (k − 1) × (1 − tr C ÷ ΣC); NaN with fewer than two columns or no variance."""
    k = values.shape[1]
    covariance = values.cov().to_numpy()
    total = np.nansum(covariance)
    if k < 2 or not total > 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.nansum(np.diag(covariance)) / total))


def _pairs(results: Results, matrices: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for objective, matrix in matrices.items():
        values = _oriented(results, objective, list(matrix.columns)).notna().astype(int)
        together = values.T @ values  # countries having both values of each pair
        ids = list(matrix.columns)
        rows += [
            dict(objective=objective, indicator=a, other=b, r=matrix.loc[a, b], n=int(together.loc[a, b]))
            for i, a in enumerate(ids)
            for b in ids[i + 1 :]
        ]
    frame = pd.DataFrame(rows, columns=["objective", "indicator", "other", "r", "n"])
    frame["flag"] = np.select(
        [frame["r"] < 0, frame["r"] > HIGH_CORRELATION], ["negative", f"above {HIGH_CORRELATION}"], ""
    )
    return frame


def _objective_overall(results: Results) -> pd.DataFrame:
    ranked = results.ranked.index
    scores = results.objectives[results.objectives["iso3"].isin(ranked)].pivot(
        index="iso3", columns="objective", values="score"
    )
    overall = results.overall.loc[ranked, "score"].astype(float)
    r = scores.reindex(columns=list(results.spec.objective_ids)).corrwith(overall)
    frame = pd.DataFrame({"objective": r.index, "r": r.to_numpy(), "n": len(ranked)})
    frame["flag"] = np.where(frame["r"] < 0, "negative", "")
    return frame


def _statistics(results: Results) -> pd.DataFrame:
    columns = ["indicator", "coverage", "zeros", "skewness", "kurtosis", "n", "flag"]
    used = list(results.spec.used_indicators())
    if not used:  # capability given per objective
        return pd.DataFrame(columns=columns)
    wide = results.indicators.pivot(index="iso3", columns="indicator", values="value").reindex(
        index=list(results.overall.index), columns=used
    )
    cohort = wide.loc[results.ranked.index]
    frame = pd.DataFrame(
        {
            "indicator": used,
            "coverage": wide.notna().mean().to_numpy(),
            "zeros": (cohort == 0).sum().to_numpy() / cohort.notna().sum().replace(0, np.nan).to_numpy(),
            "skewness": cohort.skew().to_numpy(),
            "kurtosis": cohort.kurt().to_numpy(),
            "n": cohort.notna().sum().to_numpy(),
        }
    )
    flagged = pd.DataFrame({check: test(frame[check]) for check, (test, _) in STATISTIC_FLAGS.items()})
    words = pd.DataFrame({c: np.where(flagged[c], f"{c} {STATISTIC_FLAGS[c][1]}", "") for c in flagged})
    frame["flag"] = words.apply(lambda row: "; ".join(w for w in row if w), axis=1) if len(frame) else []
    return frame[columns]


def remove_one(edition: EditionData, countries: pd.DataFrame, results: Results) -> pd.DataFrame:
    """The remove-one test (see the module docstring): one row per indicator, then per objective."""
    spec = edition.spec
    variants: list[tuple[str, str, IndexSpec]] = []
    variants += [("indicator", i, without_indicator(spec, i)) for i in spec.used_indicators()]
    if len(spec.objectives) > 1:
        variants += [("objective", o, without_objectives(spec, {o})) for o in spec.objective_ids]
    rows = []
    base = results.overall["rank"]
    steps = engine.scored(edition)
    for kind, id, variant in variants:
        ranks = engine.overall_ranks(replace(edition, spec=variant), like=steps)
        rows.append(dict(kind=kind, id=id, **rank_shift(base, ranks)))
    columns = ["kind", "id", "mean_shift", "max_shift", "n", "most_moved", "most_moved_change"]
    return pd.DataFrame(rows, columns=columns)


def rank_shift(base: pd.Series, variant: pd.Series) -> dict[str, object]:
    """How far the overall ranks moved between two runs, over the countries ranked in both: mean and
    largest absolute change (places), how many countries, and the country that moved most with its
    signed change (+ = moved up; between equal moves, the better-ranked country in `base`; None when
    no country moved)."""
    both = pd.concat({"base": base, "variant": variant}, axis=1).dropna().astype(float)
    change = both["base"] - both["variant"]
    if change.empty:
        return dict(
            mean_shift=float("nan"), max_shift=float("nan"), n=0, most_moved=None, most_moved_change=None
        )
    order = pd.DataFrame({"abs": change.abs(), "base": both["base"]}).sort_values(
        ["abs", "base"], ascending=[False, True], kind="stable"
    )
    top = order.index[0]
    moved = bool(change[top] != 0)
    return dict(
        mean_shift=float(change.abs().mean()),
        max_shift=float(change.abs().max()),
        n=len(change),
        most_moved=str(top) if moved else None,
        most_moved_change=int(change[top]) if moved else None,
    )


def without_indicator(spec: IndexSpec, indicator: str) -> IndexSpec:
    """The definition with `indicator` left out of every objective; an objective left empty goes too."""
    objectives = tuple(
        replace(o, indicators=tuple(u for u in o.indicators if u.id != indicator)) for o in spec.objectives
    )
    emptied = {o.id for o in objectives if not o.indicators}
    return without_objectives(replace(spec, objectives=objectives), emptied)


def without_objectives(spec: IndexSpec, objectives: set[str]) -> IndexSpec:
    """The definition without `objectives`, in its posture groups too (a group may end up empty: its
    mean, and so the posture, is then missing, which leaves the ranks alone)."""
    if not objectives:
        return spec
    posture = replace(
        spec.posture,
        offense=tuple(o for o in spec.posture.offense if o not in objectives),
        defense=tuple(o for o in spec.posture.defense if o not in objectives),
    )
    kept = tuple(o for o in spec.objectives if o.id not in objectives)
    return replace(spec, objectives=kept, posture=posture)


def findings(audit: Audit) -> pd.DataFrame:
    """The audit as one long table, one figure a row (`FINDING_COLUMNS`): check (`correlation`,
    `objective_overall`, `cronbach_alpha`, `coverage`, `zeros`, `skewness`, `kurtosis`,
    `remove_indicator`, `remove_objective`), objective, indicator, other (a pair's second indicator),
    value, n, flag ("" when nothing is flagged), max_rank_change and most_moved (remove-one rows)."""
    pieces = [
        audit.correlations.rename(columns={"r": "value"}).assign(check="correlation"),
        audit.objective_overall.rename(columns={"r": "value"}).assign(check="objective_overall"),
        audit.alpha.rename(columns={"alpha": "value"}).assign(check="cronbach_alpha"),
    ]
    stats = audit.statistics
    for check, (test, words) in STATISTIC_FLAGS.items():
        flag = np.where(test(stats[check]), f"{check} {words}", "")
        pieces.append(stats[["indicator", "n"]].assign(check=check, value=stats[check], flag=flag))
    removal = audit.removal.rename(columns={"mean_shift": "value", "max_shift": "max_rank_change"})
    removal = removal.assign(
        check="remove_" + removal["kind"],
        indicator=removal["id"].where(removal["kind"] == "indicator"),
        objective=removal["id"].where(removal["kind"] == "objective"),
        flag="",
    )
    pieces.append(removal)
    present = [p for p in pieces if len(p)]  # concat warns about empty pieces
    frame = pd.concat(present, ignore_index=True) if present else pd.DataFrame()
    return frame.reindex(columns=FINDING_COLUMNS)
