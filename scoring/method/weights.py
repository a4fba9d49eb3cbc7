"""Effective weights: how much of the overall score each indicator (or objective) carries on paper.

The overall score is the weighted mean of the objective scores, and each capability the weighted mean of
its indicators, so an indicator's nominal share of the overall score in one objective is

    effective_weight = (objective weight ÷ Σ objective weights) × (indicator weight ÷ Σ its objective's
                       indicator weights)

and its total share is the sum over the objectives that use it (COINr's `get_eff_weights`). Over an
edition the shares sum to 1. They are nominal: a country missing an indicator has the others of that
objective re-weighted (available-case mean), and what an indicator moves in practice also depends on its
spread (see `audit.py`, the remove-one test). An objective-level edition has no indicators: each
objective's given capability carries the objective's weight share, with an empty indicator.
"""

from __future__ import annotations

import pandas as pd

from scoring.inputs.spec import IndexSpec, IndicatorUse, Objective

COLUMNS = ["objective", "indicator", "direction", "weight", "effective_weight"]


def effective_weights(spec: IndexSpec) -> pd.DataFrame:
    """One row per (objective, indicator) use, in definition order: objective, indicator, direction,
    weight (as declared), effective_weight (0–1; the column sums to 1). A given capability (an
    objective-level edition's one use per objective) is a row with indicator and direction None and
    the objective's weight."""
    total = sum(o.weight for o in spec.objectives)
    rows = [
        _row(objective, use, objective.weight / total, sum(u.weight for u in objective.indicators))
        for objective in spec.objectives
        for use in objective.indicators
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(objective: Objective, use: IndicatorUse, share: float, within: float) -> dict[str, object]:
    if use.given:  # the objective's own capability: the row stands for the objective
        return dict(
            objective=objective.id,
            indicator=None,
            direction=None,
            weight=objective.weight,
            effective_weight=share,
        )
    return dict(
        objective=objective.id,
        indicator=use.id,
        direction=use.direction,
        weight=use.weight,
        effective_weight=share * use.weight / within,
    )


def indicator_weights(spec: IndexSpec) -> pd.Series:
    """Each used indicator's total effective weight (0–1), summed over the objectives that use it, in
    catalogue order; empty for an objective-level edition."""
    uses = effective_weights(spec).dropna(subset=["indicator"])
    totals = uses.groupby("indicator")["effective_weight"].sum()
    return totals.reindex(list(spec.used_indicators())).rename("effective_weight")
