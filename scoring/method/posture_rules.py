"""The evidence for the posture rule: candidate definitions evaluated on one edition's data.

The first posture rule (the balance of mean offensive and mean defensive objective scores) called China
defensive in 2022 with the 2nd-highest offense score, and moved China and Vietnam from balanced to
defensive only because financial (0 for 27 of 30 countries) joined the offensive group. `compare`
evaluates each candidate of `RULES` on the ranked cohort and reports, per candidate, how many countries
fall in each class, the class of the definition's `named` countries, and how many countries change
class when one more offensive objective is added on which every country scores 0 except the one with
the highest offense score (capability 100, intent 1): a test of the robustness the rule must have.

Every candidate reads the same `[posture]` settings (groups, thresholds, `niche_below`,
`offense_tiers`), so the comparison is of definitions, not of tuning:

- `score`: the first rule, the balance of the mean objective scores.
- `intent`: the balance of the mean intents over all of each group's objectives.
- `cohort`: the offense share of the scores, offense ÷ (offense + defense), minus the cohort's median
  share (a reading relative to the cohort).
- `orientation`: the balance of the mean intents over each group's shared objectives (niche ones left
  out), without the offense tier.
- `posture`: the rule in use (`posture.py`): orientation, and a `strong` offense is never defensive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scoring.inputs.spec import Posture
from scoring.method import posture as rule
from scoring.method.engine import Results

NICHE = "niche objective"  # the id of the objective `compare` adds to test robustness


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    reads: Callable[[pd.DataFrame, pd.DataFrame, Posture], np.ndarray]  # (scores, intents) -> class index


@dataclass(frozen=True)
class RuleResult:
    """One candidate on one edition: countries per class (every class of `posture.CLASSES`, in that
    order), the class of each named country (None when it is not ranked), and the countries whose
    class changes when the niche objective is added."""

    rule: Rule
    counts: dict[str, int]
    named: dict[str, str | None]
    changed: list[str]  # iso3


def _groups(scores: pd.DataFrame, posture: Posture) -> tuple[list[int], list[int]]:
    columns = list(scores.columns)
    return [columns.index(o) for o in posture.offense], [columns.index(o) for o in posture.defense]


def _score_balance(scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture) -> np.ndarray:
    offense, defense = _groups(scores, posture)
    values = scores.to_numpy(dtype=float)
    balance = rule.balance(values[:, offense].mean(axis=1), values[:, defense].mean(axis=1))
    return _thresholds(balance, posture)


def _intent_balance(scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture) -> np.ndarray:
    offense, defense = _groups(scores, posture)
    values = intents.to_numpy(dtype=float)
    return _thresholds(
        rule.balance(values[:, offense].mean(axis=1), values[:, defense].mean(axis=1)), posture
    )


def _cohort_share(scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture) -> np.ndarray:
    offense, defense = _groups(scores, posture)
    values = scores.to_numpy(dtype=float)
    total = values[:, offense].mean(axis=1) + values[:, defense].mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total == 0, 0.5, values[:, offense].mean(axis=1) / total)
    return _thresholds(share - np.median(share), posture)


def _orientation(scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture) -> np.ndarray:
    return _thresholds(_readings(scores, intents, posture)[0], posture)


def _posture(scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture) -> np.ndarray:
    orientation, tier = _readings(scores, intents, posture)
    return np.asarray(rule.class_index(orientation, tier, posture))


def _readings(scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture) -> tuple[np.ndarray, np.ndarray]:
    frame = rule.classify(scores, intents, posture)
    tier = frame["offense_tier"].map({t: k for k, t in enumerate(rule.TIERS)}).to_numpy(dtype=int)
    return frame["orientation"].to_numpy(dtype=float), tier


def _thresholds(value: np.ndarray, posture: Posture) -> np.ndarray:
    """A reading without the offense tier: every country reads as if its offense were not strong."""
    return np.asarray(rule.class_index(value, np.ones(value.shape, dtype=int), posture))


RULES = (
    Rule("score", "(a) score balance, the first rule", _score_balance),
    Rule("intent", "(b) intent balance, all objectives", _intent_balance),
    Rule("cohort", "(c) offense share − cohort median", _cohort_share),
    Rule("orientation", "(d1) orientation alone", _orientation),
    Rule("posture", "(d) orientation and offense tier, in use", _posture),
)


def cohort_frames(result: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranked countries' objective scores (0–100) and intents (0–1), countries × objectives."""
    rows = result.objectives[result.objectives["iso3"].isin(result.ranked.index)]
    columns = list(result.spec.objective_ids)
    scores = rows.pivot(index="iso3", columns="objective", values="score").reindex(columns=columns)
    intents = rows.pivot(index="iso3", columns="objective", values="intent").reindex(columns=columns)
    return scores.astype(float), intents.astype(float)


def with_niche_objective(
    scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture, iso3: str
) -> tuple[pd.DataFrame, pd.DataFrame, Posture]:
    """A copy with one more offensive objective, `NICHE`, on which every country scores 0 (intent 0)
    except `iso3` (intent 1, score 100)."""
    one = (scores.index == iso3).astype(float)
    return (
        scores.assign(**{NICHE: 100.0 * one}),
        intents.assign(**{NICHE: one}),
        replace(posture, offense=(*posture.offense, NICHE)),
    )


def compare(result: Results) -> list[RuleResult]:
    """Each candidate of `RULES` on one edition's ranked cohort; see the module docstring."""
    posture = result.spec.posture
    scores, intents = cohort_frames(result)
    if scores.empty:
        return []
    leader = str(result.ranked["offense"].idxmax())
    niche = with_niche_objective(scores, intents, posture, leader)
    names = np.array(rule.CLASSES, dtype=object)
    out = []
    for candidate in RULES:
        classes = pd.Series(names[candidate.reads(scores, intents, posture)], index=scores.index)
        after = pd.Series(names[candidate.reads(*niche)], index=scores.index)
        out.append(
            RuleResult(
                candidate,
                {c: int((classes == c).sum()) for c in rule.CLASSES},
                {iso3: classes.get(iso3) for iso3 in posture.named},
                sorted(str(i) for i in scores.index[classes != after]),
            )
        )
    return out
