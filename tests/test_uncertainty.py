"""The uncertainty analysis: known answers, reproducibility, the definition table, downloads and CLI."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.cli import main
from scoring.inputs.errors import ProjectError
from scoring.inputs.load import EditionData, Project, load_project
from scoring.inputs.spec import Uncertainty
from scoring.method import engine, uncertainty
from scoring.method.engine import Results, run, with_intervals
from scoring.method.rank import rank_descending, rank_descending_array
from scoring.outputs import export, report

from .synthetic import synthetic_edition

EVERYTHING = Uncertainty(
    draws=300,
    seed=7,
    weight_perturbation=0.5,
    normalisations=("minmax", "zscore", "rank"),
    aggregations=("arithmetic", "geometric"),
    estimated_capability=20,
    estimated_intent=0.2,
)


def _with(edition: EditionData, settings: Uncertainty | None) -> EditionData:
    return replace(edition, spec=replace(edition.spec, uncertainty=settings))


def _intervals(edition: EditionData, countries: pd.DataFrame, draws: int | None = None) -> Results:
    return with_intervals(run(edition, countries), edition, draws)


def _fixed(edition: EditionData) -> EditionData:
    """The edition with an [uncertainty] table that varies nothing."""
    return _with(edition, Uncertainty(draws=50, seed=1))


@pytest.mark.parametrize("edition_id", ["ncpi-2020", "ncpi-2022"])
def test_zero_perturbation_gives_the_ranks(edition_id: str, project: Project) -> None:
    results = _intervals(_fixed(project.editions[edition_id]), project.countries)
    assert results.intervals is not None
    ranked = results.ranked
    assert (ranked["rank_low"] == ranked["rank"]).all() and (ranked["rank_high"] == ranked["rank"]).all()
    assert (
        results.intervals.overall["rank_median"] == ranked["rank"].reindex(results.intervals.overall.index)
    ).all()
    objectives = results.objectives.dropna(subset=["rank"])
    assert (objectives["rank_low"] == objectives["rank"]).all()
    assert (objectives["rank_high"] == objectives["rank"]).all()
    for iso3, label in ranked["posture"].items():
        assert results.intervals.country(str(iso3)).posture_share(label) == 1.0  # type: ignore[union-attr]


def test_zero_perturbation_on_an_indicator_level_edition_with_missing_values() -> None:
    edition, names = synthetic_edition(countries=40, objectives=8, indicators=30, seed=3, missing=0.1)
    results = _intervals(_fixed(edition), names)
    ranked = results.ranked
    assert (ranked["rank_low"] == ranked["rank"]).all() and (ranked["rank_high"] == ranked["rank"]).all()


def test_a_country_that_dominates_keeps_rank_1_in_every_draw() -> None:
    edition, names = synthetic_edition(countries=30, objectives=8, indicators=40, seed=5, missing=0.0)
    # every indicator counted positively, so that "best" means the same in every objective that uses it
    objectives = tuple(
        replace(o, indicators=tuple(replace(u, direction="positive") for u in o.indicators))
        for o in edition.spec.objectives
    )
    edition = replace(edition, spec=replace(edition.spec, objectives=objectives))
    indicators = edition.values.copy()
    top = indicators["iso3"] == "C0007"
    best = indicators.groupby("indicator")["value"].transform("max") + 1
    indicators.loc[top, "value"] = best[top]
    intents = edition.intents.assign(
        intent=edition.intents["intent"].where(~(edition.intents["iso3"] == "C0007"), 1.0)
    )
    dominant = _with(replace(edition, values=indicators, intents=intents), EVERYTHING)
    results = _intervals(dominant, names)
    assert results.intervals is not None
    summary = results.intervals.country("C0007")
    assert summary is not None
    assert (summary.overall.low, summary.overall.high) == (1, 1)
    assert all((r.low, r.high) == (1, 1) for r in summary.objectives.values())
    # everyone else does move: the analysis is not trivially constant
    assert (results.intervals.overall["rank_high"] > results.intervals.overall["rank_low"]).any()


def test_same_seed_same_result_other_seed_other_result(project: Project) -> None:
    edition = project.editions["ncpi-2022"]
    first = _intervals(edition, project.countries)
    again = _intervals(edition, project.countries)
    assert first.intervals is not None and again.intervals is not None
    pd.testing.assert_frame_equal(first.intervals.overall, again.intervals.overall)
    pd.testing.assert_frame_equal(first.intervals.objectives, again.intervals.objectives)
    assert export.to_csv(export.overall_table(first)) == export.to_csv(export.overall_table(again))
    assert edition.spec.uncertainty is not None
    other = _with(edition, replace(edition.spec.uncertainty, seed=edition.spec.uncertainty.seed + 1))
    moved = _intervals(other, project.countries)
    assert moved.intervals is not None
    assert not first.intervals.overall.equals(moved.intervals.overall)


def test_intervals_are_ordered_and_shares_sum_to_one() -> None:
    edition, names = synthetic_edition(countries=30, objectives=8, indicators=40, seed=9)
    results = _intervals(_with(edition, EVERYTHING), names)
    assert results.intervals is not None
    for frame in (results.intervals.overall, results.intervals.objectives):
        assert (frame["rank_low"] <= frame["rank_median"]).all()
        assert (frame["rank_median"] <= frame["rank_high"]).all()
        assert frame["rank_low"].min() >= 1 and frame["rank_high"].max() <= 30
    shares = results.intervals.overall[list(uncertainty.POSTURE_CLASSES)]
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_no_table_no_draws_no_intervals(tiny_project: Project, project: Project) -> None:
    tiny = tiny_project.editions["tiny-2022"]
    assert tiny.spec.uncertainty is None
    plain = _intervals(tiny, tiny_project.countries)
    assert plain.intervals is None and plain.overall["rank_low"].isna().all()
    assert plain.objectives["rank_high"].isna().all()
    off = _intervals(project.editions["ncpi-2022"], project.countries, draws=0)
    assert off.intervals is None and off.overall["rank_low"].isna().all()


def test_draws_override_the_definition(project: Project) -> None:
    results = _intervals(project.editions["ncpi-2022"], project.countries, draws=20)
    assert results.intervals is not None and results.intervals.settings.draws == 20


def test_unranked_countries_get_no_interval(results: dict[str, Results]) -> None:
    prk = results["ncpi-2020"].overall.loc["PRK"]
    assert pd.isna(prk["rank_low"]) and pd.isna(prk["rank_high"])
    assert results["ncpi-2020"].intervals.country("PRK") is None  # type: ignore[union-attr]


def test_shipped_postures_hold_under_the_declared_uncertainty(results: dict[str, Results]) -> None:
    """The motivating reading survives the declared estimate error: North Korea attack-heavy in (nearly)
    every draw, the Republic of Korea defensive in most (in about one draw in ten its offense score
    reaches the top third, which is never called defensive), and the strongest attackers are not
    called defensive in any draw of either edition."""
    intervals = results["ncpi-2022"].intervals
    assert intervals is not None
    prk, kor = intervals.country("PRK"), intervals.country("KOR")
    assert prk is not None and kor is not None
    assert prk.posture["attack-heavy"] >= 0.95 and kor.posture["defensive"] >= 0.85
    assert prk.overall.low <= 14 <= prk.overall.high
    for result in results.values():
        assert result.intervals is not None
        for iso3 in ("CHN", "RUS", "USA", "GBR", "ISR", "IRN"):
            country = result.intervals.country(iso3)
            assert country is not None and country.posture["defensive"] == 0.0, (result.spec.id, iso3)


def test_country_view_for_the_pages(results: dict[str, Results]) -> None:
    intervals = results["ncpi-2022"].intervals
    assert intervals is not None
    usa = intervals.country("USA")
    assert usa is not None
    assert list(usa.objectives) == list(results["ncpi-2022"].spec.objective_ids)
    assert set(usa.posture) == set(uncertainty.POSTURE_CLASSES)
    assert str(usa.overall) == f"{usa.overall.median} ({usa.overall.low}–{usa.overall.high})"
    assert usa.overall.width == usa.overall.high - usa.overall.low


@given(arrays(np.float64, (4, 7), elements=st.sampled_from([0.0, 1.0, 2.5, 2.5000000001, 7.0, -3.0])))
def test_array_ranks_match_the_engine_ranks(values: np.ndarray) -> None:
    expected = np.array([rank_descending(pd.Series(row)).to_numpy() for row in values])
    assert (rank_descending_array(values) == expected).all()


def test_downloads_carry_the_interval(tmp_path: Path, project: Project, results: dict[str, Results]) -> None:
    export.write_downloads(results, project.sources, tmp_path)
    overall = pd.read_csv(tmp_path / "ncpi-2022" / "overall.csv").set_index("iso3")
    after = list(overall.columns[list(overall.columns).index("score_change") + 1 :])
    assert after[:2] == ["rank_low", "rank_high"]  # later columns come after the interval
    assert (overall["rank_low"] <= overall["rank_high"]).all()
    objectives = pd.read_csv(tmp_path / "ncpi-2022" / "objectives.csv")
    assert list(objectives.columns[-2:]) == ["rank_low", "rank_high"] and objectives["rank_low"].notna().all()
    document = export.results_document(results["ncpi-2022"], project.sources)
    assert document["edition"]["uncertainty"]["estimated_capability"] == 10
    assert document["edition"]["uncertainty"]["draws"] == 1000


def test_terminal_table_shows_the_interval(results: dict[str, Results]) -> None:
    lines = report.table(results["ncpi-2022"]).splitlines()
    usa = next(line for line in lines if " USA " in line)
    row = results["ncpi-2022"].overall.loc["USA"]
    assert usa.split()[:3] == ["1", f"({row['rank_low']}–{row['rank_high']})", "USA"]
    assert "5–95 % interval of the rank over 1000 draws" in lines[-1]


# --- the [uncertainty] table of an index definition ---------------------------------------------------

TABLE = """
[uncertainty]
draws = 200
seed = 3
weight_perturbation = 0.2
estimated_capability = 5
estimated_intent = 0.05
"""


def _append(tiny_copy: Path, edition: str, text: str) -> Path:
    path = tiny_copy / "indices" / f"{edition}.toml"
    path.write_text(path.read_text("utf-8") + text, "utf-8")
    return path


def _problems(tiny_copy: Path) -> list[str]:
    with pytest.raises(ProjectError) as caught:
        load_project(tiny_copy / "data", tiny_copy / "indices")
    return [str(p) for p in caught.value.problems]


def test_table_is_parsed(tiny_copy: Path) -> None:
    _append(
        tiny_copy, "tiny-2020", TABLE + 'normalisations = ["minmax", "rank"]\naggregations = ["geometric"]\n'
    )
    spec = load_project(tiny_copy / "data", tiny_copy / "indices").editions["tiny-2020"].spec
    assert spec.uncertainty == Uncertainty(200, 3, 0.2, ("minmax", "rank"), ("geometric",), 5.0, 0.05)


def test_table_bad_values(tiny_copy: Path) -> None:
    _append(
        tiny_copy,
        "tiny-2020",
        '\n[uncertainty]\ndraws = 0\nseed = -1\nweight_perturbation = 1\nnormalisations = ["minmaxx", "goalposts"]\n'
        'aggregations = "geometric"\nestimated_intent = 2\n',
    )
    assert _problems(tiny_copy) == [
        "indices/tiny-2020.toml:45:1: 'draws' must be a whole number from 1 to 1000000, not 0",
        "indices/tiny-2020.toml:46:1: 'seed' must be a whole number ≥ 0, not -1",
        "indices/tiny-2020.toml:47:1: 'weight_perturbation' is 1; it must be below 1; hint: a weight times "
        "U(0, 2) could be 0; 0.25 means each weight × U(0.75, 1.25)",
        "indices/tiny-2020.toml:48:1: normalisation 'goalposts' needs goalposts for every indicator; 'firms' has "
        "none; hint: give each indicator goalposts = [low, high], or remove 'goalposts' from the list",
        "indices/tiny-2020.toml:48:1: unknown normalisation 'minmaxx' in 'normalisations'; hint: did you mean "
        "'minmax'?",
        "indices/tiny-2020.toml:49:1: 'aggregations' must be a list of names in quotes, such as "
        '["arithmetic", "geometric"]',
        "indices/tiny-2020.toml:50:1: 'estimated_intent' is 2; it must be at least 0 and at most 1",
    ]


# --- the command ----------------------------------------------------------------------------------------


def test_score_command_draws(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(tiny_copy, "tiny-2022", TABLE)
    assert main(["score", "tiny-2022"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines[4:8]] == [
        ["1", "(1–1)", "USA"],
        ["2", "(2–2)", "KOR"],
        ["3", "(2–4)", "PRK"],
        ["4", "(3–4)", "JPN"],
    ]
    assert lines[-1].startswith("rank (low–high): the 5–95 % interval of the rank over 200 draws")
    assert main(["score", "tiny-2022", "--draws", "0"]) == 0
    assert capsys.readouterr().out.splitlines()[4].split()[:2] == ["1", "USA"]
    assert main(["score", "tiny-2022", "--draws", "20", "--format", "csv"]) == 0
    header, first = capsys.readouterr().out.splitlines()[:2]
    usa = dict(zip(header.split(","), first.split(","), strict=True))
    assert ",score_change,rank_low,rank_high," in header  # later columns come after the interval
    assert usa["iso3"] == "USA" and usa["rank_low"] == usa["rank_high"] == "1"


def test_score_command_draws_without_a_table(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "tiny-2022", "--draws", "100"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "cyberpower: tiny-2022 declares no [uncertainty] table; no rank intervals\n"
    assert captured.out.splitlines()[4].split()[:2] == ["1", "USA"]


def test_score_command_rejects_negative_draws(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["score", "ncpi-2022", "--draws", "-3"])
    assert exit_.value.code == 2
    assert "argument --draws: '-3' is not a whole number from 0 to 1000000" in capsys.readouterr().err


def test_run_all_uses_the_definitions_draws_unless_told(project: Project) -> None:
    assert engine.run_all(project, draws=0)["ncpi-2022"].intervals is None
    assert engine.run_all(project, draws=10)["ncpi-2020"].intervals.settings.draws == 10  # type: ignore[union-attr]
