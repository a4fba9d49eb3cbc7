"""Property tests for the maths (Hypothesis): invariances the NCPI method must have."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.method import normalise
from scoring.method.engine import run

from .synthetic import synthetic_edition

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@SETTINGS
@given(
    st.lists(st.lists(finite, min_size=3, max_size=3), min_size=2, max_size=30),
    st.sampled_from(["minmax", "zscore", "rank"]),
)
def test_normalised_values_stay_in_unit_interval(rows: list[list[float]], method: str) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    scaled = normalise.scale(frame, method)
    oriented = normalise.orient(scaled, {"a": "positive", "b": "negative", "c": "positive"})
    assert ((oriented >= 0) & (oriented <= 1)).all().all()


@SETTINGS
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=5, max_value=40))
def test_scores_do_not_depend_on_row_order(seed: int, countries: int) -> None:
    edition, names = synthetic_edition(countries=countries, indicators=12, seed=seed)
    shuffled = replace(
        edition,
        values=edition.values.sample(frac=1, random_state=seed),
        intents=edition.intents.sample(frac=1, random_state=seed + 1),
    )
    a, b = run(edition, names), run(shuffled, names)
    pd.testing.assert_frame_equal(a.overall, b.overall)
    pd.testing.assert_frame_equal(a.objectives, b.objectives)


@SETTINGS
@given(
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=1e-3, max_value=1e3),
    st.floats(min_value=-1e3, max_value=1e3),
    st.integers(min_value=0, max_value=11),
)
def test_positive_linear_rescaling_leaves_minmax_results_unchanged(
    seed: int, factor: float, shift: float, which: int
) -> None:
    edition, names = synthetic_edition(countries=20, indicators=12, seed=seed)
    indicator = f"ind_{which:03d}"
    rows = edition.values.copy()
    chosen = rows["indicator"] == indicator
    rows.loc[chosen, "value"] = rows.loc[chosen, "value"] * factor + shift
    a, b = run(edition, names), run(replace(edition, values=rows), names)
    np.testing.assert_allclose(
        a.overall["score"].to_numpy(dtype=float),
        b.overall["score"].to_numpy(dtype=float),
        rtol=1e-9,
        atol=1e-9,
    )
    assert a.overall["rank"].equals(b.overall["rank"])


@SETTINGS
@given(st.integers(min_value=0, max_value=10_000))
def test_all_maximal_country_with_full_intent_scores_100(seed: int) -> None:
    edition, names = synthetic_edition(countries=15, indicators=10, seed=seed, missing=0.0)
    rows = edition.values.copy()
    directions = {u.id: u.direction for o in edition.spec.objectives for u in o.indicators}
    # one direction per indicator, so that "maximal" is well defined
    spec = replace(
        edition.spec,
        objectives=tuple(
            replace(o, indicators=tuple(replace(u, direction=directions[u.id]) for u in o.indicators))
            for o in edition.spec.objectives
        ),
    )
    best = rows.groupby("indicator")["value"].agg(["min", "max"])
    top = rows["iso3"] == "C0000"
    rows.loc[top, "value"] = [
        best.loc[i, "min"] - 1 if directions[i] == "negative" else best.loc[i, "max"] + 1
        for i in rows.loc[top, "indicator"]
    ]
    intents = edition.intents.copy()
    intents.loc[intents["iso3"] == "C0000", "intent"] = 1.0
    results = run(replace(edition, spec=spec, values=rows, intents=intents), names)
    assert results.overall.loc["C0000", "score"] == 100.0
    assert results.overall.loc["C0000", "rank"] == 1
