"""Putting raw indicators on a common 0–1 scale, higher = stronger, over the ranked cohort.

All methods work column-wise on a (country × indicator) frame and never loop over countries. A negative
direction is applied after scaling as `1 - v`, which for min-max equals `(max - x) / (max - min)`.
Missing values stay missing (NaN); they are skipped by the available-case means that follow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z_CLIP = 3.0  # z-scores beyond ±3 standard deviations are clipped before mapping to 0–1


def scale(
    values: pd.DataFrame, method: str, goalposts: dict[str, tuple[float, float]] | None = None
) -> pd.DataFrame:
    """Scale each column of `values` (rows: the cohort) to 0–1, higher raw value = higher result.

    - `minmax`: (x - min) / (max - min); a column with no spread scales to 0 for everyone.
    - `zscore`: (x - mean) / sd, clipped to ±3 and mapped linearly to 0–1 (mean → 0.5).
    - `rank`: percentile rank, (rank - 1) / (n - 1) with average ranks for ties.
    - `goalposts`: (x - low) / (high - low) with fixed goalposts per indicator, clipped to 0–1, so
      that a value means the same in every edition.
    """
    if method == "minmax":
        low, high = values.min(), values.max()
        span = (high - low).replace(0, np.nan)
        return ((values - low) / span).fillna(0.0).where(values.notna())
    if method == "zscore":
        sd = values.std(ddof=0).replace(0, np.nan)
        z = ((values - values.mean()) / sd).fillna(0.0).where(values.notna())
        return (z.clip(-Z_CLIP, Z_CLIP) + Z_CLIP) / (2 * Z_CLIP)
    if method == "rank":
        counts = values.count()
        ranks = values.rank(method="average")
        return ((ranks - 1) / (counts - 1).replace(0, np.nan)).fillna(0.0).where(values.notna())
    if method == "goalposts":
        if goalposts is None or set(values.columns) - set(goalposts):
            raise ValueError("goalposts normalisation needs goalposts for every indicator")
        low = pd.Series({c: goalposts[c][0] for c in values.columns})
        high = pd.Series({c: goalposts[c][1] for c in values.columns})
        return ((values - low) / (high - low)).clip(0.0, 1.0)
    raise ValueError(f"unknown normalisation {method!r}")


def orient(scaled: pd.DataFrame, directions: dict[str, str]) -> pd.DataFrame:
    """Apply each indicator's direction: a `negative` indicator becomes 1 - v."""
    negative = [c for c in scaled.columns if directions[c] == "negative"]
    oriented = scaled.copy()
    oriented[negative] = 1.0 - oriented[negative]
    return oriented
