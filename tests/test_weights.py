"""Effective weights: each indicator's nominal share of the overall score; they sum to 1 per edition."""

from __future__ import annotations

import pytest

from scoring.inputs.load import Project
from scoring.method import weights


def test_effective_weights_sum_to_one_in_every_edition(project: Project, tiny_project: Project) -> None:
    for edition in [*project.editions.values(), *tiny_project.editions.values()]:
        assert weights.effective_weights(edition.spec)["effective_weight"].sum() == pytest.approx(1.0)


def test_tiny_effective_weights_by_hand(tiny_project: Project) -> None:
    # two objectives of weight 1, two indicators of weight 1 each: every use carries 1/2 × 1/2;
    # firms is used by both objectives, so it carries 1/2 of the overall score
    spec = tiny_project.editions["tiny-2020"].spec
    table = weights.effective_weights(spec)
    assert table["effective_weight"].tolist() == [0.25] * 4
    assert weights.indicator_weights(spec).to_dict() == {"firms": 0.5, "infections": 0.25, "units": 0.25}


def test_ncpi_2020_effective_weights(project: Project) -> None:
    # tech_export: intelligence (1 of 6), commercial (1 of 8), destructive (1 of 5), norms (1 of 6), of 7;
    # internet_use: surveillance (1 of 6), defense (1 of 10), information control (1 of 6), of 7
    totals = weights.indicator_weights(project.editions["ncpi-2020"].spec)
    assert totals["tech_export"] == pytest.approx((1 / 6 + 1 / 8 + 1 / 5 + 1 / 6) / 7)
    assert totals["internet_use"] == pytest.approx((1 / 6 + 1 / 10 + 1 / 6) / 7)
    assert round(totals["tech_export"], 4) == 0.0940 and round(totals["internet_use"], 4) == 0.0619


def test_an_objective_level_edition_weighs_its_objectives(project: Project) -> None:
    table = weights.effective_weights(project.editions["ncpi-2022"].spec)
    assert table["indicator"].isna().all() and table["effective_weight"].tolist() == [0.125] * 8
    assert weights.indicator_weights(project.editions["ncpi-2022"].spec).empty
