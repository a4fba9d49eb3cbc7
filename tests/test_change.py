"""Change between editions: rank and score movement for countries ranked in both."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scoring.inputs.load import Project
from scoring.method.change import history, movement, previous_of
from scoring.method.engine import Results


def test_movement_2020_to_2022(results: dict[str, Results]) -> None:
    moved = movement(results["ncpi-2020"], results["ncpi-2022"])
    assert moved.loc["KOR", "previous_rank"] == 16 and moved.loc["KOR", "rank_change"] == 9  # 16th -> 7th
    assert moved.loc["USA", "rank_change"] == 0
    assert moved.loc["VNM", "rank_change"] == 20 - 8
    assert pd.isna(moved.loc["PRK", "rank_change"]) and pd.isna(moved.loc["PRK", "score_change"])
    assert moved.loc["PRK", "change_basis"] is None  # not ranked in 2020: no change, nothing to rest on
    # ranks 1-16 of 2022 were published: their changes are between published ranks
    assert moved.loc["KOR", "change_basis"] == moved.loc["USA", "change_basis"] == "published"
    # ranks 17-30 of 2022 are estimates: their movement is shown, marked as resting on an estimate
    assert moved.loc["ISR", "rank_change"] == 11 - 17 and moved.loc["ISR", "change_basis"] == "estimated"
    assert moved["change_basis"].value_counts().to_dict() == {"published": 15, "estimated": 14}
    # every 2022 score is an estimate: no score change is reported
    assert moved["score_change"].isna().all()


def test_score_change_between_published_scores(tiny_project: Project) -> None:
    from scoring.method.engine import run_all

    results = run_all(tiny_project)
    moved = movement(results["tiny-2020"], results["tiny-2022"])
    # USA's rows are published in both tiny editions; the others are estimated in 2022
    assert moved.loc["USA", "score_change"] == pytest.approx(45.0 - 50.0)
    assert pd.isna(moved.loc["KOR", "score_change"])
    # JPN: 3rd (published) to 4th (estimated): the move is given, marked as resting on an estimate
    assert moved.loc["JPN", "rank_change"] == -1 and moved.loc["JPN", "change_basis"] == "estimated"


def _assessed_copy(tiny_copy: Path) -> Project:
    """The tiny project with tiny-2022's estimated values re-marked as the analysts' own (`assessed`):
    an edition made of an analyst's values, USA's rows still published."""
    from scoring.inputs.load import load_project

    path = tiny_copy / "data" / "tiny-2022" / "objectives.csv"
    path.write_text(path.read_text("utf-8").replace(",estimated,", ",assessed,"), "utf-8")
    return load_project(tiny_copy / "data", tiny_copy / "indices")


def test_assessed_values_give_assessed_ranks_and_changes(tiny_copy: Path) -> None:
    from scoring.method.engine import run_all

    results = run_all(_assessed_copy(tiny_copy), draws=0)
    after = results["tiny-2022"]
    assert after.overall["basis"].to_dict() == {
        "USA": "published",
        "KOR": "assessed",
        "PRK": "assessed",
        "JPN": "assessed",
    }
    # no rank of tiny-2022 is confirmed by a published one; USA's own values are published, but its
    # rank is computed among the analysts' values, so it is theirs too
    assert set(after.overall["rank_basis"]) == {"assessed"}
    assert after.assessed and after.assessed_ranks and not after.estimated and not after.estimated_ranks
    moved = movement(results["tiny-2020"], after)
    assert moved["rank_change"].fillna(99).to_dict() == {"USA": 0, "KOR": 0, "PRK": 99, "JPN": -1}
    assert moved["change_basis"].to_dict() == {
        "USA": "assessed",
        "KOR": "assessed",
        "PRK": None,
        "JPN": "assessed",
    }
    # a score change is still given only between published scores
    assert moved["score_change"].notna().to_dict() == {"USA": True, "KOR": False, "PRK": False, "JPN": False}


def test_estimated_outweighs_assessed() -> None:
    from scoring.method.change import change_basis

    before = pd.Series(["published", "assessed", "estimated", "assessed", None, "published"])
    after = pd.Series(["published", "published", "assessed", "estimated", "assessed", "assessed"])
    assert change_basis(before, after).tolist() == [
        "published",
        "assessed",
        "estimated",
        "estimated",
        None,
        "assessed",
    ]


def test_previous_edition(results: dict[str, Results]) -> None:
    assert previous_of(results, "ncpi-2022") is results["ncpi-2020"]
    assert previous_of(results, "ncpi-2020") is None


def test_history_has_every_country_and_edition(results: dict[str, Results]) -> None:
    table = history(results)
    assert len(table) == 60
    kor = table[table["iso3"] == "KOR"].set_index("edition")
    assert list(kor.index) == ["ncpi-2020", "ncpi-2022"]
    assert pd.isna(kor.loc["ncpi-2020", "rank_change"]) and kor.loc["ncpi-2022", "rank_change"] == 9
    assert kor.loc["ncpi-2022", "of"] == 30 and kor.loc["ncpi-2020", "of"] == 29
