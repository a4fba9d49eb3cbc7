"""Ranks: 1 = highest; equal values share the better rank (1, 2, 2, 4)."""

from __future__ import annotations

import pandas as pd

DECIMALS = 9  # values equal to 9 decimals are ties, so float noise never breaks a tie


def rank_descending(values: pd.Series) -> pd.Series:
    """Competition ranks of `values`, highest first; NaN stays unranked (<NA>)."""
    return values.round(DECIMALS).rank(method="min", ascending=False).astype("Int64")


def rank_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """`rank_descending` applied to each column."""
    return frame.round(DECIMALS).rank(method="min", ascending=False).astype("Int64")
