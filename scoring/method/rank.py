"""Ranks: 1 = highest; equal values share the better rank (1, 2, 2, 4)."""

from __future__ import annotations

from typing import TypeVar

import pandas as pd

DECIMALS = 9  # values equal to 9 decimals are ties, so float noise never breaks a tie
Ranked = TypeVar("Ranked", pd.Series, pd.DataFrame)


def rank_descending(values: Ranked) -> Ranked:
    """Competition ranks, highest first: of a Series, or of each column of a frame; NaN stays <NA>."""
    return values.round(DECIMALS).rank(method="min", ascending=False).astype("Int64")
