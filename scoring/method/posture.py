"""Posture: where a country points its cyber effort, and how much offensive power it has.

This project's reading of NCPI data, not a class the Belfer Center publishes. Two readings, side by side,
over the ranked cohort, each set in the index definition's `[posture]` table:

- **orientation** (−1…+1): where the effort points. `offense_intent` is the mean intent (0–1) over
  the offensive objectives, `defense_intent` over the defensive ones, and orientation =
  (offense_intent − defense_intent) / (offense_intent + defense_intent). Intent is the NCPI's measure
  of how much a country pursues an objective, on the same 0–1 scale for every objective, so the
  comparison is not tilted by capability indicators that only one side has (broadband speed and CERTs
  count towards defense). An objective whose median intent over the cohort is below `niche_below`
  (such as financial in 2022: 27 of 30 at 0) is left out of both means: on it "not pursued" is the
  norm, and counting it would only dilute every other country's offensive intent. So adding an
  objective that nearly every country scores 0 on changes no country's orientation.
- **offense tier**: how much offense it has. `offense` is the mean objective score (0–100) over the
  offensive objectives, niche ones included, and `offense_rank` its competition rank in the cohort
  (1 = highest). The cohort splits into `offense_tiers` equal tiers by standing = (n − rank) / (n − 1)
  (1 the highest offense, 0 the lowest): a standing of at least 1 − 1/tiers is `strong`, at most 1/tiers
  `weak`, else `moderate` (3 tiers: the top, middle and bottom third). A niche objective multiplies
  everyone's offense by the same factor except for the few who score on it, so it leaves the order of
  the others as it was.

The **posture** class combines them: an orientation at or above `attack_heavy_at` reads
`attack-heavy`; at or below `defensive_at` reads `defensive` unless the country's offense is `strong`
(a country among the strongest attackers is not called defensive because it invests even more in
defense); everything else reads `balanced`.

`defense` (the mean defensive objective score) and `balance` = (offense − defense) / (offense + defense)
are kept as descriptive figures; they no longer decide the class.

`activation` compares where a country ranks on the capability index with where it ranks on the intent
index: capability ranking `activation_gap` or more places above intent reads `passive` (capable, but
the capability is not put to use), intent ranking that far above capability reads `assertive`
(ambition ahead of means), otherwise `matched`.

The array helpers (`common`, `group_intent`, `balance`, `tier_index`, `class_index`) take any leading
axes, such as draws × countries in the uncertainty analysis; countries are the second-last axis of
countries × objectives arrays and the last axis of per-country arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scoring.inputs.spec import Posture
from scoring.method.rank import rank_descending_array

CLASSES = ("attack-heavy", "balanced", "defensive")  # the posture classes, in the order of `class_index`
TIERS = ("strong", "moderate", "weak")  # the offense tiers, in the order of `tier_index`


def classify(scores: pd.DataFrame, intents: pd.DataFrame, posture: Posture) -> pd.DataFrame:
    """The posture readings of each country of the cohort: the rows of `scores` (0–100) with a score on
    every objective; `intents` (0–1) has the same columns. Other rows get NaN and None.

    Columns: offense, defense (0–100), balance (−1…+1), offense_intent, defense_intent (0–1),
    orientation (−1…+1), offense_rank (1 = highest), offense_tier, posture."""
    columns = list(scores.columns)
    offense_ids = [columns.index(o) for o in posture.offense if o in columns]
    defense_ids = [columns.index(o) for o in posture.defense if o in columns]
    # a variant without all of one group (the audit's remove-one test) has no posture to read
    cohort = scores.notna().all(axis=1) & bool(offense_ids and defense_ids)
    score = scores[cohort].to_numpy(dtype=float)
    intent = intents.reindex(index=scores.index[cohort], columns=columns).to_numpy(dtype=float)
    offense = score[:, offense_ids].sum(axis=-1) / len(offense_ids)  # no warning for an empty cohort
    defense = score[:, defense_ids].sum(axis=-1) / len(defense_ids)
    shared = common(intent, posture.niche_below)
    offense_intent = group_intent(intent, shared, offense_ids)
    defense_intent = group_intent(intent, shared, defense_ids)
    orientation = balance(offense_intent, defense_intent)
    offense_rank = rank_descending_array(offense) if len(offense) else np.zeros(0, dtype=int)
    tier = tier_index(offense_rank, posture.offense_tiers)
    frame = pd.DataFrame(
        {
            "offense": offense,
            "defense": defense,
            "balance": balance(offense, defense),
            "offense_intent": offense_intent,
            "defense_intent": defense_intent,
            "orientation": orientation,
            "offense_rank": pd.array(offense_rank, dtype="Int64"),
            "offense_tier": pd.Series(np.array(TIERS, dtype=object)[tier], dtype=object),
            "posture": pd.Series(
                np.array(CLASSES, dtype=object)[class_index(orientation, tier, posture)], dtype=object
            ),
        },
    )
    frame.index = scores.index[cohort]
    out = frame.reindex(scores.index)
    for column in ("offense_tier", "posture"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def common(intent: np.ndarray, niche_below: float) -> np.ndarray:
    """(..., objectives) bool: the objectives whose median intent over the countries (axis −2) is at
    least `niche_below`; the others are niche and left out of the orientation. Without countries,
    every objective is common."""
    if intent.shape[-2] == 0:
        return np.ones(intent.shape[:-2] + intent.shape[-1:], dtype=bool)
    return np.asarray(np.median(intent, axis=-2) >= niche_below)


def group_intent(intent: np.ndarray, shared: np.ndarray, group: Sequence[int]) -> np.ndarray:
    """(..., countries): the mean intent (0–1) over the objectives `group` (column indices) that are
    `shared`, over all of the group when none of them is."""
    mask = shared[..., list(group)]
    mask = mask | ~mask.any(axis=-1, keepdims=True)
    weights = mask[..., None, :].astype(float)  # broadcast over the countries axis
    return np.asarray((intent[..., list(group)] * weights).sum(axis=-1) / weights.sum(axis=-1))


def balance(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """(first − second) / (first + second), −1…+1, element-wise on arrays of any shape (such as
    draws × countries); 0 where both are 0, NaN where either is NaN."""
    total = first + second
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total == 0, 0.0, (first - second) / total)


def tier_index(offense_rank: np.ndarray, tiers: int) -> np.ndarray:
    """The offense tier of each offense rank (last axis: the cohort) as an index into `TIERS`."""
    n, share = offense_rank.shape[-1], 1 / tiers
    standing = (n - offense_rank) / (n - 1) if n > 1 else np.ones(offense_rank.shape)
    return np.select([standing >= 1 - share - 1e-9, standing <= share + 1e-9], [0, 2], 1)


def class_index(orientation: np.ndarray, tier: np.ndarray, posture: Posture) -> np.ndarray:
    """The posture class of each country as an index into `CLASSES` (−1 where orientation is NaN)."""
    return np.select(
        [
            np.isnan(orientation),
            orientation >= posture.attack_heavy_at,
            (orientation <= posture.defensive_at) & (tier != 0),
        ],
        [-1, 0, 2],
        1,
    )


def activation(capability_rank: pd.Series, intent_rank: pd.Series, gap: int) -> pd.Series:
    """`passive`, `assertive` or `matched` from the two index ranks (None where unranked)."""
    difference = (intent_rank - capability_rank).astype(float)
    label = pd.Series(
        np.select([difference >= gap, difference <= -gap], ["passive", "assertive"], "matched"),
        index=capability_rank.index,
        dtype=object,
    )
    return label.where(difference.notna(), None)
