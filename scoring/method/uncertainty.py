"""Rank intervals from a Monte Carlo over the modelling assumptions (JRC/OECD composite-indicator practice).

A rank depends on choices the data does not dictate: the weights, the normalisation, the aggregation
and, where values are estimates (or the analysts' assessments), the values themselves. The index
definition's `[uncertainty]` table declares how far each may vary (`scoring.inputs.spec.Uncertainty`).
`analyse` scores `draws` variants of the edition at once and gives, for every ranked country:

- overall and per objective: the median rank and the 5–95 % interval of its ranks over the draws,
  `rank_low` (the better end, the 5th percentile) to `rank_high` (the 95th); ties share the better rank,
  as in `rank.py`;
- for each posture class of `posture.py`, the share (0–1) of draws in which the posture rule reads it:
  each draw's orientation (from its intents, with the objectives that are niche in that draw left out)
  and offense tier (from its scores, ranked within the draw).

One draw:

- weights: each objective weight × U(1 − p, 1 + p), and in an indicator-level edition each indicator
  weight within its objective × U(1 − p, 1 + p), with p = `weight_perturbation`;
- method: a normalisation (indicator-level editions) and, for each of the two levels (indicators →
  capability, objective scores → overall score), an aggregation, each drawn uniformly from the
  declared list (an empty list: the `[method]` choice);
- estimates: each capability (0–100) and intent (0–1) whose basis is `estimated` gets U(−e, +e) added,
  clipped to its range, with e = `estimated_capability` or `estimated_intent`. In an indicator-level
  edition a capability counts as estimated when any of the country's indicators of that objective is;
- assessed values: likewise each whose basis is `assessed` (the analysts' own), with e =
  `assessed_capability` or `assessed_intent` (default 0: taken as exact, not varied). A capability
  counts as assessed when any of its indicators is and none is estimated. These are drawn after
  everything else, so an edition without assessed values (or with e = 0) draws what it always did.

The ranked cohort is the engine's: who is ranked does not vary, and min-max and the other
normalisations run over that cohort, as in the engine. Draws are an array axis; the only Python loops
are over objectives and over the handful of method combinations drawn, each evaluated for all of its
draws at once. A numpy Generator seeded with `seed` draws every random number in a fixed order, so a
rerun gives byte-identical results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from scoring.inputs.load import EditionData
from scoring.inputs.spec import IndexSpec, Uncertainty
from scoring.method import normalise, posture
from scoring.method.aggregate import GEOMETRIC_SHIFT
from scoring.method.rank import rank_descending_array

LOW, HIGH = 0.05, 0.95  # the interval: 5th to 95th percentile of the ranks over the draws
POSTURE_CLASSES = posture.CLASSES


@dataclass(frozen=True)
class RankInterval:
    """A rank over the draws: the median and the 5–95 % interval (1 = highest; low ≤ median ≤ high)."""

    median: int
    low: int
    high: int

    @property
    def width(self) -> int:
        """Places between the two ends: 0 when every draw agrees."""
        return self.high - self.low

    def __str__(self) -> str:
        return f"{self.median} ({self.low}–{self.high})"


@dataclass(frozen=True)
class CountryUncertainty:
    """What the pages show of one ranked country: its rank intervals and how stable its posture is.

    - `overall`: the overall rank over the draws.
    - `objectives`: objective id -> the rank on that objective over the draws, in the edition's order.
    - `posture`: posture class -> share of draws (0–1) with that class; every class of
      `POSTURE_CLASSES` is present and the shares sum to 1.
    """

    iso3: str
    overall: RankInterval
    objectives: Mapping[str, RankInterval]
    posture: Mapping[str, float]

    def posture_share(self, label: str | None) -> float:
        """The share of draws that agree with a posture class, such as the unperturbed one (0–1)."""
        return self.posture.get(label, 0.0) if label else 0.0


@dataclass(frozen=True)
class Intervals:
    """One edition's uncertainty analysis. Plain frames, for the downloads and the pages:

    - `settings`: what varied (the definition's `[uncertainty]`, with the number of draws used).
    - `overall`: index iso3 (ranked countries, in cohort order): rank_median, rank_low, rank_high
      (ints), then one column per posture class with its share of draws (0–1).
    - `objectives`: one row per ranked country and objective: iso3, objective, rank_median, rank_low,
      rank_high.
    """

    settings: Uncertainty
    overall: pd.DataFrame
    objectives: pd.DataFrame

    def country(self, iso3: str) -> CountryUncertainty | None:
        """The rank intervals and posture shares of one country; None when it is not ranked."""
        if iso3 not in self.overall.index:
            return None
        row = self.overall.loc[iso3]
        mine = self.objectives[self.objectives["iso3"] == iso3]
        return CountryUncertainty(
            iso3=iso3,
            overall=_interval(row),
            objectives={r["objective"]: _interval(r) for r in mine.to_dict("records")},
            posture={c: float(row[c]) for c in POSTURE_CLASSES},
        )


def _interval(row: Mapping[str, Any]) -> RankInterval:
    return RankInterval(int(row["rank_median"]), int(row["rank_low"]), int(row["rank_high"]))


def analyse(edition: EditionData, cohort: Sequence[str], draws: int | None = None) -> Intervals | None:
    """The rank intervals of the ranked countries `cohort` (iso3) of one edition.

    `draws`: how many variants to score; None takes the definition's `draws`, 0 turns the analysis
    off. None when the definition has no `[uncertainty]` table, draws is 0 or no country is ranked.
    """
    settings = edition.spec.uncertainty
    if settings is None or draws == 0 or not len(cohort):
        return None
    if draws is not None:
        if draws < 0:
            raise ValueError(f"draws must be ≥ 0, not {draws}")
        settings = replace(settings, draws=draws)
    return simulate(_Inputs.of(edition, list(cohort)), edition.spec, settings)


@dataclass(frozen=True)
class _Inputs:
    """The cohort's data as arrays (countries × objectives, or countries × measured indicator uses)."""

    iso3: list[str]
    intent: np.ndarray  # N × O, 0–1
    intent_estimated: np.ndarray  # N × O, bool
    capability_estimated: np.ndarray  # N × O, bool
    intent_assessed: np.ndarray  # N × O, bool
    capability_assessed: np.ndarray  # N × O, bool (and not estimated)
    given: np.ndarray  # N × O, 0–100: the given capabilities (`IndicatorUse.given`), NaN elsewhere
    oriented: dict[str, np.ndarray]  # normalisation -> N × U oriented 0–1 values (NaN: missing)
    use_objective: np.ndarray  # U: the objective (column) of each measured indicator use
    use_weight: np.ndarray  # U: the declared weight of each measured indicator use

    @classmethod
    def of(cls, edition: EditionData, cohort: list[str]) -> _Inputs:
        spec = edition.spec
        objectives = list(spec.objective_ids)
        intent = _wide(edition.intents, "objective", "intent", cohort, objectives)
        intent_estimated = _wide_basis(edition.intents, "estimated", "objective", cohort, objectives)
        intent_assessed = _wide_basis(edition.intents, "assessed", "objective", cohort, objectives)
        inputs = list(spec.capability_inputs())
        values = edition.values.pivot(index="iso3", columns="indicator", values="value").astype(float)
        values = values.reindex(index=cohort, columns=inputs)
        by_input = _wide_basis(edition.values, "estimated", "indicator", cohort, inputs)
        assessed_input = _wide_basis(edition.values, "assessed", "indicator", cohort, inputs)
        column = {ind: k for k, ind in enumerate(inputs)}
        capability_estimated = np.zeros((len(cohort), len(objectives)), dtype=bool)
        capability_assessed = np.zeros((len(cohort), len(objectives)), dtype=bool)
        given = np.full((len(cohort), len(objectives)), np.nan)
        uses = []  # the measured ones, which the draws weight
        for i, objective in enumerate(spec.objectives):
            for use in objective.indicators:
                capability_estimated[:, i] |= by_input[:, column[use.id]]
                capability_assessed[:, i] |= assessed_input[:, column[use.id]]
                if use.given:
                    given[:, i] = values[use.id].to_numpy()
                else:
                    uses.append((i, use))
        methods = (spec.uncertainty.normalisations if spec.uncertainty else ()) or (
            spec.method.normalisation,
        )
        measured = values[list(spec.used_indicators())]
        oriented = {m: _oriented(measured, spec, m) for m in methods}
        return cls(
            cohort,
            intent,
            intent_estimated,
            capability_estimated,
            intent_assessed,
            capability_assessed & ~capability_estimated,
            given,
            oriented,
            np.array([i for i, _ in uses], dtype=int),
            np.array([u.weight for _, u in uses], dtype=float),
        )


def _wide(frame: pd.DataFrame, column: str, value: str, rows: list[str], columns: list[str]) -> np.ndarray:
    wide = frame.pivot(index="iso3", columns=column, values=value).astype(float)
    return wide.reindex(index=rows, columns=columns).to_numpy()


def _wide_basis(
    frame: pd.DataFrame, basis: str, column: str, rows: list[str], columns: list[str]
) -> np.ndarray:
    found = frame.assign(b=frame["basis"].eq(basis)).pivot(index="iso3", columns=column, values="b")
    return found.reindex(index=rows, columns=columns).eq(True).to_numpy()  # a missing row: not of `basis`


def _oriented(values: pd.DataFrame, spec: IndexSpec, method: str) -> np.ndarray:
    """N × U: each indicator use's values scaled to 0–1 over the cohort by `method`, direction applied."""
    columns: list[pd.Series] = []
    scaled = None if method == "goalposts" else normalise.scale(values, method)
    for objective in spec.objectives:
        for use in (u for u in objective.indicators if not u.given):
            if scaled is None:  # goalposts may differ per objective
                assert use.goalposts is not None
                part = normalise.scale(values[[use.id]], "goalposts", {use.id: use.goalposts})[use.id]
            else:
                part = scaled[use.id]
            columns.append(1.0 - part if use.direction == "negative" else part)
    if not columns:  # every capability is given
        return np.empty((len(values), 0))
    return np.column_stack([c.to_numpy(dtype=float) for c in columns])


def simulate(inputs: _Inputs, spec: IndexSpec, settings: Uncertainty) -> Intervals:
    """Score `settings.draws` variants of the edition and summarise the ranks; see the module docstring."""
    draws, n, o = settings.draws, len(inputs.iso3), len(spec.objectives)
    rng = np.random.default_rng(settings.seed)
    p = settings.weight_perturbation
    objective_weights = np.array([x.weight for x in spec.objectives]) * rng.uniform(1 - p, 1 + p, (draws, o))
    use_weights = inputs.use_weight * rng.uniform(1 - p, 1 + p, (draws, len(inputs.use_weight)))
    normalisations = list(inputs.oriented) or [""]
    capability_ways = list(settings.aggregations or (spec.method.aggregation,))
    overall_ways = list(settings.aggregations or (spec.method.overall,))
    combination = (
        rng.integers(len(normalisations), size=draws) * len(capability_ways)
        + rng.integers(len(capability_ways), size=draws)
    ) * len(overall_ways) + rng.integers(len(overall_ways), size=draws)
    capability_noise = _noise(rng, settings.estimated_capability, inputs.capability_estimated, draws)
    intent_noise = _noise(rng, settings.estimated_intent, inputs.intent_estimated, draws)
    # the analysts' assessed values, drawn last: the draws before them stay as they were without
    capability_noise = _plus(
        capability_noise, _noise(rng, settings.assessed_capability, inputs.capability_assessed, draws)
    )
    intent_noise = _plus(intent_noise, _noise(rng, settings.assessed_intent, inputs.intent_assessed, draws))

    overall_ranks = np.empty((draws, n), dtype=np.int32)
    objective_ranks = np.empty((draws, o, n), dtype=np.int32)
    classes = np.empty((draws, n), dtype=np.int8)
    offense = [spec.objective_ids.index(x) for x in spec.posture.offense]
    defense = [spec.objective_ids.index(x) for x in spec.posture.defense]
    for code in np.unique(combination):
        picked = np.flatnonzero(combination == code)
        rest, overall_way = divmod(int(code), len(overall_ways))
        normalisation, capability_way = divmod(rest, len(capability_ways))
        capability = _capabilities(
            inputs,
            inputs.oriented[normalisations[normalisation]],
            use_weights[picked],
            capability_ways[capability_way],
            o,
        )
        if capability_noise is not None:
            capability = np.clip(capability + capability_noise[picked], 0.0, 100.0)
        intent = (
            inputs.intent if intent_noise is None else np.clip(inputs.intent + intent_noise[picked], 0.0, 1.0)
        )
        scores = capability * intent  # draws × countries × objectives, 0–100
        overall = _weighted_mean(scores, objective_weights[picked], overall_ways[overall_way], scale=100.0)
        overall_ranks[picked] = rank_descending_array(overall)
        objective_ranks[picked] = rank_descending_array(np.swapaxes(scores, 1, 2))
        classes[picked] = _posture_classes(
            scores, np.broadcast_to(intent, scores.shape), spec, offense, defense
        )

    low, median, high = _quantiles(overall_ranks)
    summary = pd.DataFrame(
        {"rank_median": median, "rank_low": low, "rank_high": high},
        index=pd.Index(inputs.iso3, name="iso3"),
    )
    for k, label in enumerate(POSTURE_CLASSES):
        summary[label] = (classes == k).mean(axis=0)
    low, median, high = _quantiles(objective_ranks)  # objectives × countries each
    per_objective = pd.DataFrame(
        {
            "iso3": np.tile(inputs.iso3, o),
            "objective": np.repeat(list(spec.objective_ids), n),
            "rank_median": median.ravel(),
            "rank_low": low.ravel(),
            "rank_high": high.ravel(),
        }
    )
    return Intervals(settings, summary, per_objective)


def _posture_classes(
    scores: np.ndarray, intent: np.ndarray, spec: IndexSpec, offense: list[int], defense: list[int]
) -> np.ndarray:
    """Draws × countries: the posture class index of each country in each draw, by the rule of
    `posture.py` (orientation from the intents, offense tier from the scores), each draw its own cohort."""
    rule = spec.posture
    shared = posture.common(intent, rule.niche_below)  # draws × objectives
    orientation = posture.balance(
        posture.group_intent(intent, shared, offense), posture.group_intent(intent, shared, defense)
    )
    offense_rank = rank_descending_array(scores[..., offense].mean(axis=-1))
    return posture.class_index(orientation, posture.tier_index(offense_rank, rule.offense_tiers), rule)


def _noise(rng: np.random.Generator, error: float, varied: np.ndarray, draws: int) -> np.ndarray | None:
    """U(−error, +error) for each draw and value `varied` marks (0 elsewhere); None when nothing varies."""
    if error == 0 or not varied.any():
        return None
    return rng.uniform(-error, error, (draws, *varied.shape)) * varied


def _plus(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    # the sum of two noises of disjoint values, either of which may be None (nothing varies)
    return b if a is None else a if b is None else a + b


def _capabilities(
    inputs: _Inputs, oriented: np.ndarray, weights: np.ndarray, how: str, objectives: int
) -> np.ndarray:
    """Draws × countries × objectives capability (0–100): each objective's weighted mean of its
    indicator uses, available-case, as `aggregate.weighted_mean` computes it, for all draws at once;
    a given capability as it is, in every draw."""
    present = ~np.isnan(oriented)
    values = np.log(np.clip(oriented, 0.0, None) + GEOMETRIC_SHIFT) if how == "geometric" else oriented
    values = np.where(present, values, 0.0)
    out = np.empty((weights.shape[0], oriented.shape[0], objectives))
    for k in range(objectives):
        uses = inputs.use_objective == k
        if not uses.any():  # given: the value passes through, like the engine's
            out[:, :, k] = inputs.given[:, k]
            continue
        total = weights[:, uses] @ present[:, uses].T  # draws × countries
        mean = (weights[:, uses] @ values[:, uses].T) / total
        out[:, :, k] = 100.0 * (np.exp(mean) - GEOMETRIC_SHIFT if how == "geometric" else mean)
    return out


def _weighted_mean(values: np.ndarray, weights: np.ndarray, how: str, scale: float) -> np.ndarray:
    """Draws × countries: the weighted mean over the last axis with each draw's weights (no NaN)."""
    total = weights.sum(axis=-1)[:, None]
    if how == "geometric":
        shift = GEOMETRIC_SHIFT * scale
        logs = np.einsum("dno,do->dn", np.log(np.clip(values, 0.0, None) + shift), weights)
        return np.exp(logs / total) - shift
    return np.einsum("dno,do->dn", values, weights) / total


def _quantiles(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 5th, 50th and 95th percentile ranks over the draws (axis 0), as whole ranks: the smallest
    rank that at least that share of the draws reach (numpy's `inverted_cdf`)."""
    ordered = np.sort(ranks, axis=0)
    draws = ranks.shape[0]
    pick = [max(int(np.ceil(q * draws - 1e-9)) - 1, 0) for q in (LOW, 0.5, HIGH)]  # 1e-9: 0.05 × 100 is 5
    return ordered[pick[0]], ordered[pick[1]], ordered[pick[2]]
