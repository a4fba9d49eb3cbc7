"""Synthetic editions of any size, for property tests and benchmarks (no disk, deterministic by seed)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.inputs.load import EditionData
from scoring.inputs.spec import IndexSpec, Indicator, IndicatorUse, Method, Objective, Posture

OBJECTIVE_IDS = (
    "surveillance",
    "defense",
    "information_control",
    "intelligence",
    "commercial",
    "destructive",
    "norms",
    "financial",
)


def synthetic_edition(
    countries: int = 200,
    objectives: int = 8,
    indicators: int = 40,
    seed: int = 0,
    per_objective: int = 6,
    missing: float = 0.02,
) -> tuple[EditionData, pd.DataFrame]:
    """An indicator-level edition: `indicators` raw indicators, each objective using `per_objective`
    of them (some negative), random intents, and a share `missing` of values left out."""
    rng = np.random.default_rng(seed)
    objective_ids = [
        OBJECTIVE_IDS[i] if i < len(OBJECTIVE_IDS) else f"objective_{i}" for i in range(objectives)
    ]
    indicator_ids = [f"ind_{i:03d}" for i in range(indicators)]
    uses = {
        o: tuple(
            IndicatorUse(ind, "negative" if rng.random() < 0.2 else "positive", float(rng.integers(1, 4)))
            for ind in rng.choice(indicator_ids, size=min(per_objective, indicators), replace=False)
        )
        for o in objective_ids
    }
    # every indicator used at least once
    used = {u.id for us in uses.values() for u in us}
    spare = [i for i in indicator_ids if i not in used]
    for n, indicator in enumerate(spare):
        o = objective_ids[n % objectives]
        uses[o] = (*uses[o], IndicatorUse(indicator, "positive", 1.0))
    offense = tuple(
        o for o in ("destructive", "intelligence", "information_control", "financial") if o in objective_ids
    )
    defense = tuple(o for o in ("defense", "norms") if o in objective_ids)
    spec = IndexSpec(
        id="synthetic",
        title="Synthetic index",
        year=2030,
        data_level="indicators",
        sources=(),
        summary="",
        method=Method(),
        posture=Posture(offense or (objective_ids[0],), defense or (objective_ids[-1],), 0.2, -0.2, 8),
        objectives=tuple(Objective(o, o.title(), "", 1.0, uses[o]) for o in objective_ids),
        indicators=tuple(Indicator(i, i, "score") for i in indicator_ids),
    )
    iso3 = [f"C{n:04d}" for n in range(countries)]
    values = rng.gamma(2.0, 10.0, size=(countries, indicators))
    values[rng.random(values.shape) < missing] = np.nan
    indicator_rows = pd.DataFrame(
        {
            "iso3": np.repeat(iso3, indicators),
            "indicator": np.tile(indicator_ids, countries),
            "value": values.ravel(),
            "basis": "published",
            "source": "synthetic",
        }
    )
    intent_rows = pd.DataFrame(
        {
            "iso3": np.repeat(iso3, objectives),
            "objective": np.tile(objective_ids, countries),
            "intent": rng.random(countries * objectives).round(4),
            "basis": "published",
            "source": "synthetic",
        }
    )
    facts = pd.DataFrame(columns=["fact", "iso3", "objective", "value", "tolerance", "sources", "other"])
    names = pd.DataFrame({"name": [f"Country {c}" for c in iso3]}, index=pd.Index(iso3, name="iso3"))
    return EditionData(spec, indicator_rows, intent_rows, facts), names
