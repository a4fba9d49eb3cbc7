"""Combining values with weights: available-case arithmetic or zero-safe geometric means."""

from __future__ import annotations

import numpy as np
import pandas as pd

GEOMETRIC_SHIFT = 0.01  # share of the scale added before taking logs, so that a zero does not zero the mean


def weighted_mean(values: pd.DataFrame, weights: pd.Series, how: str, scale: float = 1.0) -> pd.Series:
    """Row-wise weighted mean of `values` over the columns that are present (available-case).

    `how` is `arithmetic` or `geometric`. The geometric mean is shifted to be zero-safe:
    exp(Σ w·ln(v + s) / Σ w) − s with s = 0.01 × `scale`; it equals v when all values equal v, lies
    between the smallest and largest value, and rewards balanced profiles over lopsided ones.
    A row with no values at all is NaN.
    """
    w = weights.reindex(values.columns).astype(float)
    present = values.notna()
    total = present.mul(w, axis=1).sum(axis=1)
    if how == "arithmetic":
        combined = values.fillna(0.0).mul(w, axis=1).sum(axis=1) / total.replace(0, np.nan)
    elif how == "geometric":
        shift = GEOMETRIC_SHIFT * scale
        logs = np.log(values.clip(lower=0.0) + shift).fillna(0.0).mul(w, axis=1).sum(axis=1)
        combined = np.exp(logs / total.replace(0, np.nan)) - shift
    else:
        raise ValueError(f"unknown aggregation {how!r}")
    return combined.where(total > 0)
