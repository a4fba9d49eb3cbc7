"""Every number explained: a country's capabilities taken apart into its indicators.

Pure functions of one edition's `Results` (which carry the raw values with their basis and source).
For an indicator-level edition:

- `indicator_values`: each listed country's raw value of each used indicator, with its 0–1 scaled
  value over the ranked cohort (before direction), basis and source: the `indicators.csv` download.
- `contributions`: for each ranked country, objective and indicator of that objective, the raw value,
  the oriented 0–1 value the objective used, direction, weight and the contribution in capability
  points. Contribution = capability × w·v ÷ Σ w·v over the indicators the country has; for the
  arithmetic (available-case) mean this is exactly 100 × w·v ÷ Σ w, so the contributions sum to the
  capability; for a geometric mean it apportions the capability in proportion to w·v.
- `standings`: where each ranked country stands on each indicator (by direction) among the cohort,
  for its strengths and weaknesses.

An objective-level edition has no deeper level: each returns None.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.method.rank import DECIMALS
from scoring.method.weights import effective_weights

CONTRIBUTION_COLUMNS = [
    "iso3",
    "objective",
    "indicator",
    "value",
    "normalised",
    "direction",
    "weight",
    "effective_weight",
    "contribution",
    "basis",
    "source",
]


@per_results
def indicator_values(result: Results) -> pd.DataFrame | None:
    """iso3, indicator, value (raw), normalised (0–1 over the ranked cohort, before direction; NaN for
    a country that is not ranked or lacks the value), basis, source; by country, then catalogue order."""
    if not result.spec.has_indicator_level:
        return None
    used = list(result.spec.used_indicators())
    rows = result.indicators[result.indicators["indicator"].isin(used)]
    order = {i: n for n, i in enumerate(used)}
    rows = rows.sort_values(["iso3", "indicator"], key=lambda s: s.map(order) if s.name == "indicator" else s)
    scaled = _scaled(result)
    out = rows.join(scaled, on=["iso3", "indicator"])
    return out[["iso3", "indicator", "value", "normalised", "basis", "source"]].reset_index(drop=True)


def _scaled(result: Results) -> pd.Series:
    """The 0–1 scaled value before direction, by (iso3, indicator), from the first objective using it."""
    uses = effective_weights(result.spec)[["objective", "indicator", "direction"]]
    frame = result.normalised.merge(uses, on=["objective", "indicator"])
    frame = frame.drop_duplicates(["iso3", "indicator"])
    unoriented = frame["value"].where(frame["direction"] == "positive", 1.0 - frame["value"])
    return pd.Series(
        unoriented.to_numpy(), index=pd.MultiIndex.from_frame(frame[["iso3", "indicator"]]), name="normalised"
    )


@per_results
def contributions(result: Results) -> pd.DataFrame | None:
    """One row per ranked country, objective and indicator use (definition order): the columns of
    `CONTRIBUTION_COLUMNS`; value raw, normalised oriented 0–1, contribution in points of the
    objective's capability (0–100; NaN where the value is missing)."""
    if not result.spec.has_indicator_level:
        return None
    uses = effective_weights(result.spec)
    frame = result.normalised.rename(columns={"value": "normalised"}).merge(
        uses, on=["objective", "indicator"]
    )
    raw = result.indicators.set_index(["iso3", "indicator"])[["value", "basis", "source"]]
    frame = frame.join(raw, on=["iso3", "indicator"])
    capability = result.objectives.set_index(["iso3", "objective"])["capability"]
    frame["capability"] = pd.MultiIndex.from_frame(frame[["iso3", "objective"]]).map(capability)
    weighted = frame["weight"] * frame["normalised"]
    total = weighted.groupby([frame["iso3"], frame["objective"]]).transform("sum")
    share = np.where(total > 0, weighted / total.where(total > 0), 0.0)
    frame["contribution"] = (frame["capability"] * share).where(frame["normalised"].notna())
    order = {(u.objective, u.indicator): n for n, u in enumerate(uses.itertuples())}
    frame["order"] = [order[k] for k in zip(frame["objective"], frame["indicator"], strict=True)]
    frame = frame.sort_values(["iso3", "order"])
    return frame[CONTRIBUTION_COLUMNS].reset_index(drop=True)


def standings(contributed: pd.DataFrame) -> pd.DataFrame:
    """Where each ranked country stands on each indicator among the cohort, once per (indicator,
    direction) (an indicator counted negatively somewhere is a different reading of it):
    iso3, indicator, direction, objectives (the ids using it that way), normalised (oriented 0–1),
    rank (1 = best; ties share the better rank), of (countries with a value), position (0 = best,
    1 = worst: (rank − 1) ÷ (of − 1)), effective_weight (summed over those objectives)."""
    keys = ["indicator", "direction"]
    grouped = contributed.groupby(keys, sort=False)
    objectives = grouped["objective"].agg(lambda s: tuple(dict.fromkeys(s))).rename("objectives")
    weight = contributed.drop_duplicates(["objective", *keys]).groupby(keys)["effective_weight"].sum()
    rows = contributed.drop_duplicates(["iso3", *keys]).dropna(subset=["normalised"]).copy()
    rounded = rows["normalised"].round(DECIMALS)  # as rank.py: float noise never breaks a tie
    rows["rank"] = rounded.groupby([rows[k] for k in keys]).rank(method="min", ascending=False)
    rows["of"] = rows.groupby(keys)["normalised"].transform("count")
    rows["position"] = ((rows["rank"] - 1) / (rows["of"] - 1).where(rows["of"] > 1)).fillna(0.0)
    rows = rows.join(objectives, on=keys).drop(columns="effective_weight").join(weight, on=keys)
    columns = ["iso3", *keys, "objectives", "normalised", "rank", "of", "position", "effective_weight"]
    return rows[columns].reset_index(drop=True)


def strengths_and_weaknesses(
    standing: pd.DataFrame, iso3: str, n: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A country's `n` best-placed indicators and its `n` worst-placed others (rows of `standings`),
    by position in the cohort; between equal positions the heavier effective weight first."""
    own = standing[standing["iso3"] == iso3]
    best = own.sort_values(["position", "effective_weight", "indicator"], ascending=[True, False, True]).head(
        n
    )
    rest = own.drop(best.index)
    worst = rest.sort_values(
        ["position", "effective_weight", "indicator"], ascending=[False, False, True]
    ).head(n)
    return best, worst
