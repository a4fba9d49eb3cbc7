"""Ranks: 1 = highest; equal values share the better rank (1, 2, 2, 4)."""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

DECIMALS = 9  # values equal to 9 decimals are ties, so float noise never breaks a tie
Ranked = TypeVar("Ranked", pd.Series, pd.DataFrame)


def rank_descending(values: Ranked) -> Ranked:
    """Competition ranks, highest first: of a Series, or of each column of a frame; NaN stays <NA>."""
    return values.round(DECIMALS).rank(method="min", ascending=False).astype("Int64")


def rank_descending_array(values: np.ndarray) -> np.ndarray:
    """Competition ranks along the last axis of an array with no NaN, highest first, as
    `rank_descending` gives them: for draws × countries, each draw's ranking in one call."""
    rounded = np.round(values, DECIMALS)
    order = np.argsort(-rounded, axis=-1, kind="stable")
    ordered = np.take_along_axis(rounded, order, axis=-1)
    position = np.arange(ordered.shape[-1])
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]  # a new value starts a new rank
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)  # where each tie begins
    ranks = np.empty(ordered.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, first + 1, axis=-1)
    return ranks
