"""Posture profiles: is a country's cyber power pointed outward (attack) or inward (defense)?

`offense` is the mean objective score over the index's offensive objectives, `defense` the mean over its
defensive ones; `balance = (offense − defense) / (offense + defense)` runs from −1 (all defense) to +1
(all offense). A balance at or above the index's `attack_heavy_at` reads `attack-heavy`, at or below
`defensive_at` reads `defensive`, otherwise `balanced`.

`activation` compares where a country ranks on the capability index with where it ranks on the intent
index: capability ranking `activation_gap` or more places above intent reads `passive` (capable, but
the capability is not put to use), intent ranking that far above capability reads `assertive`
(ambition ahead of means), otherwise `matched`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.inputs.spec import Posture

CLASSES = ("attack-heavy", "balanced", "defensive")  # the posture classes, in the order of `class_index`


def classify(scores: pd.DataFrame, posture: Posture) -> pd.DataFrame:
    """Offense, defense (0–100), balance (−1…+1) and class per country from objective scores."""
    offense = scores[list(posture.offense)].mean(axis=1)
    defense = scores[list(posture.defense)].mean(axis=1)
    ratio = pd.Series(balance(offense.to_numpy(), defense.to_numpy()), index=scores.index)
    names = np.array([*CLASSES, None], dtype=object)  # index −1 (no balance) reads None
    label = pd.Series(names[class_index(ratio.to_numpy(), posture)], index=scores.index, dtype=object)
    return pd.DataFrame({"offense": offense, "defense": defense, "balance": ratio, "posture": label})


def balance(offense: np.ndarray, defense: np.ndarray) -> np.ndarray:
    """(offense − defense) / (offense + defense), −1…+1, element-wise on arrays of any shape (such as
    draws × countries); 0 where both are 0, NaN where either is NaN."""
    total = offense + defense
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total == 0, 0.0, (offense - defense) / total)


def class_index(balance: np.ndarray, posture: Posture) -> np.ndarray:
    """The posture class of each balance as an index into `CLASSES` (−1 where the balance is NaN)."""
    return np.select(
        [np.isnan(balance), balance >= posture.attack_heavy_at, balance <= posture.defensive_at],
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
