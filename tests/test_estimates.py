"""The NCPI 2022 estimates: reproducible by their script, and reproducing every published figure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scoring.inputs.load import Project
from scoring.method.engine import Results

from .conftest import ROOT


def test_estimates_are_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "objectives.csv"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "estimate_ncpi_2022.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.read_bytes() == (ROOT / "data" / "ncpi-2022" / "objectives.csv").read_bytes()
    assert "capability change vs start" in done.stdout


def test_every_value_is_labelled_an_estimate(project: Project) -> None:
    edition = project.editions["ncpi-2022"]
    for rows in (edition.values, edition.intents):  # the capabilities and intents of objectives.csv
        assert len(rows) == 30 * 8
        assert set(rows["basis"]) == {"estimated"}
        assert set(rows["source"]) == {"cyberpower-estimate-2022"}


def test_every_published_fact_is_reproduced(project: Project, results: dict[str, Results]) -> None:
    overall = results["ncpi-2022"].overall
    objectives = results["ncpi-2022"].objectives.set_index(["iso3", "objective"])
    facts = project.editions["ncpi-2022"].facts
    assert len(facts) == 40
    for fact in facts.itertuples():
        if fact.fact == "overall_rank":
            assert overall.loc[fact.iso3, "rank"] == fact.value, fact
        elif fact.fact == "objective_rank":
            tolerance = 0 if pd.isna(fact.tolerance) else fact.tolerance
            rank = objectives.loc[(fact.iso3, fact.objective), "rank"]
            assert fact.value - tolerance <= rank <= fact.value + tolerance, fact
        elif fact.fact == "objective_above":
            ranks = objectives.loc[[(fact.iso3, fact.objective), (fact.other, fact.objective)], "rank"]
            assert ranks.iloc[0] < ranks.iloc[1], fact
        elif fact.fact == "objective_rise":
            before = results["ncpi-2020"].objectives.set_index(["iso3", "objective"])
            rise = (
                before.loc[(fact.iso3, fact.objective), "rank"]
                - objectives.loc[(fact.iso3, fact.objective), "rank"]
            )
            assert rise >= fact.value, fact
        else:
            tolerance = 0.001 if pd.isna(fact.tolerance) else fact.tolerance
            assert objectives.loc[(fact.iso3, fact.objective), "score"] == pytest.approx(
                fact.value, abs=tolerance + 1e-9
            ), fact


def test_the_2022_statements_in_words(results: dict[str, Results]) -> None:
    """North Korea 5th or 6th on destructive, behind the five named; Russia above the UK on three."""
    objectives = results["ncpi-2022"].objectives.set_index(["iso3", "objective"])["rank"]
    destructive = objectives.xs("destructive", level="objective").sort_values()
    assert set(destructive.index[:5]) == {"USA", "RUS", "CHN", "GBR", "IRN"}
    assert destructive["PRK"] == 6
    for objective in ("intelligence", "destructive", "surveillance"):
        assert objectives[("RUS", objective)] < objectives[("GBR", objective)], objective


@pytest.mark.parametrize(
    ("iso3", "low", "high"),
    [
        ("PRK", 50, 50),
        ("CHN", 10, 11),
        ("VNM", 4, 5),
        ("USA", 0, 0),
        ("KOR", 0, 0),
        ("JPN", 0, 0),
        ("GBR", 0, 0),
    ],
)
def test_financial_scores(results: dict[str, Results], iso3: str, low: float, high: float) -> None:
    score = results["ncpi-2022"].objectives.set_index(["iso3", "objective"]).loc[(iso3, "financial"), "score"]
    assert low - 1e-6 <= score <= high + 1e-6
