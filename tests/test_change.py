"""Change between editions: rank and score movement for countries ranked in both."""

from __future__ import annotations

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
    # ranks 17-30 of 2022 and every 2022 score are estimates: no movement is reported for them
    assert pd.isna(moved.loc["ISR", "rank_change"]) and moved["score_change"].isna().all()


def test_score_change_between_published_scores(tiny_project: Project) -> None:
    from scoring.method.engine import run_all

    results = run_all(tiny_project)
    moved = movement(results["tiny-2020"], results["tiny-2022"])
    # USA's rows are published in both tiny editions; the others are estimated in 2022
    assert moved.loc["USA", "score_change"] == pytest.approx(45.0 - 50.0)
    assert pd.isna(moved.loc["KOR", "score_change"]) and pd.isna(moved.loc["KOR", "rank_change"])


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
