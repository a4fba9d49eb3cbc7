"""The statistical audit: Cronbach's alpha, correlation flags, indicator statistics and the remove-one
test, by hand on the tiny project."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.inputs.load import Project
from scoring.method import audit
from scoring.method.engine import Results, run

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def tiny_audit(tiny_project: Project) -> audit.Audit:
    edition = tiny_project.editions["tiny-2020"]
    return audit.analyse(edition, tiny_project.countries, run(edition, tiny_project.countries))


def test_remove_one_by_hand(tiny_audit: audit.Audit) -> None:
    # The cohort is USA, KOR, JPN (PRK has 1 of 3 indicators). Min-max over them:
    #   firms 10, 4, 7 -> USA 1, KOR 0, JPN 0.5; infections (negative) .10, .12, .15 -> 1, 0.6, 0;
    #   units 5, 4, 3 -> 1, 0.5, 0. Intents (defense, destructive): USA .5 .5, KOR .8 .2, JPN .6 .1.
    # As published: defense 100, 30, 25; destructive 100, 25, 25; overall 50, 14.5, 8.75: USA 1, KOR 2, JPN 3.
    # - without infections: defense = firms: 100, 0, 50; overall (50 + 50) / 2 = 50,
    #   (0 × .8 + 25 × .2) / 2 = 2.5, (50 × .6 + 25 × .1) / 2 = 16.25: USA 1, JPN 2, KOR 3.
    #   JPN moves up 1, KOR down 1, USA stays: mean |change| 2/3, largest 1; of the two that moved 1,
    #   KOR was ranked better, so it is named: KOR −1.
    # - without firms: defense = infections 100, 60, 0 and destructive = units 100, 50, 0;
    #   overall 50, (48 + 10) / 2 = 29, 0: no change (PRK, with units only, has 1 of 2 < 60 %: unranked).
    # - without units: destructive = firms 100, 0, 50; overall 50, (24 + 0) / 2 = 12, (15 + 5) / 2 = 10:
    #   no change.
    # - without defense: overall = destructive score 50, 5, 2.5; without destructive: 50, 24, 15: no change.
    removal = tiny_audit.removal.set_index("id")
    assert removal.loc["infections", "mean_shift"] == pytest.approx(2 / 3)
    assert removal.loc["infections", "max_shift"] == 1
    assert removal.loc["infections", "n"] == 3
    assert removal.loc["infections", ["most_moved", "most_moved_change"]].tolist() == ["KOR", -1]
    for unmoved in ("firms", "units", "defense", "destructive"):
        assert removal.loc[unmoved, "mean_shift"] == 0 and removal.loc[unmoved, "most_moved"] is None
    assert removal["kind"].tolist() == ["indicator"] * 3 + ["objective"] * 2


def test_rank_shift_counts_only_countries_ranked_both_times() -> None:
    base = pd.Series([1, 2, 3, pd.NA], index=["A", "B", "C", "D"], dtype="Int64")
    variant = pd.Series([2, 1, pd.NA, 1], index=["A", "B", "C", "D"], dtype="Int64")
    assert audit.rank_shift(base, variant) == dict(
        mean_shift=1.0, max_shift=1.0, n=2, most_moved="A", most_moved_change=-1
    )


def test_cronbach_alpha() -> None:
    same = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]})
    assert audit.cronbach_alpha(same) == pytest.approx(1.0)
    # cov = [[1, -1], [-1, 1]]: 2 × (1 − 2 / 0) has no variance in the sum: NaN
    assert np.isnan(audit.cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 2.0, 1.0]})))
    # k = 3, var 1 each, covariances 0.5: 1.5 × (1 − 3 / 6) = 0.75
    frame = pd.DataFrame({"a": [0.0, 1.0, 2.0, 1.0], "b": [0.0, 1.0, 1.0, 2.0], "c": [0.0, 2.0, 1.0, 1.0]})
    covariance = frame.cov().to_numpy()
    expected = 3 / 2 * (1 - np.trace(covariance) / covariance.sum())
    assert audit.cronbach_alpha(frame) == pytest.approx(expected)
    assert np.isnan(audit.cronbach_alpha(frame[["a"]]))


def test_tiny_correlations_flags_and_statistics(tiny_audit: audit.Audit) -> None:
    # defense: firms 1, 0, 0.5 against infections 1, 0.6, 0 (USA, KOR, JPN): r = 0.46, not flagged;
    # destructive: units 1, 0.5, 0 against firms 1, 0, 0.5: r = 0.5
    pairs = tiny_audit.correlations.set_index(["objective", "indicator", "other"])
    assert pairs.loc[("defense", "firms", "infections"), "r"] == pytest.approx(
        np.corrcoef([1, 0, 0.5], [1, 0.6, 0])[0, 1]
    )
    assert pairs.loc[("destructive", "units", "firms"), "r"] == pytest.approx(0.5)
    assert (pairs["flag"] == "").all() and (pairs["n"] == 3).all()
    stats = tiny_audit.statistics.set_index("indicator")
    assert stats.loc["units", "coverage"] == 1.0 and stats.loc["firms", "coverage"] == 0.75
    assert stats.loc["firms", "flag"] == "" and stats.loc["firms", "zeros"] == 0.0
    found = audit.findings(tiny_audit)
    assert list(found.columns) == audit.FINDING_COLUMNS
    assert found["check"].value_counts().to_dict() == {
        "correlation": 2,
        "objective_overall": 2,
        "cronbach_alpha": 2,
        "coverage": 3,
        "zeros": 3,
        "skewness": 3,
        "kurtosis": 3,
        "remove_indicator": 3,
        "remove_objective": 2,
    }


def test_ncpi_2020_flags(project: Project, results: dict[str, Results]) -> None:
    edition = project.editions["ncpi-2020"]
    found = audit.analyse(edition, project.countries, results["ncpi-2020"])
    pairs = found.correlations.set_index(["objective", "indicator", "other"])
    assert pairs.loc[("commercial", "tech_firm", "cyber_firm"), "flag"] == "above 0.9"
    assert pairs.loc[("defense", "shodan", "cyber_firm"), "flag"] == "negative"
    assert set(found.alpha.loc[found.alpha["flag"] == "", "objective"]) == {"commercial"}
    assert (found.objective_overall["r"] > 0.7).all()


def test_audit_command(capsys: pytest.CaptureFixture[str]) -> None:
    tiny = FIXTURES / "tiny"
    common = ["--data", str(tiny / "data"), "--indices", str(tiny / "indices")]
    assert main(["audit", "tiny-2020", *common]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tiny index 2020 (tiny-2020): statistical audit over 3 ranked countries\n")
    assert "  infections   indicator         0.67        1  KOR -1\n" in out
    assert main(["audit", "tiny-2022", *common]) == 0
    assert "tiny-2022 is given per objective: no indicator checks." in capsys.readouterr().out
    assert main(["audit", "nope", *common]) == 2


def test_the_audits_ranks_only_run_gives_the_ranks_of_the_whole_run(project: Project) -> None:
    from dataclasses import replace

    from scoring.method.engine import overall_ranks, scored

    for edition in project.editions.values():
        spec = edition.spec
        variants = [spec, *(audit.without_indicator(spec, i) for i in spec.used_indicators())]
        variants += [audit.without_objectives(spec, {o}) for o in spec.objective_ids]
        steps = scored(edition)
        cohorts = set()
        for variant in variants:
            changed = replace(edition, spec=variant)
            whole = run(changed, project.countries).overall
            cohorts.add(tuple(whole.index[whole["ranked"]]))
            for ranks in (overall_ranks(changed), overall_ranks(changed, like=steps)):
                pd.testing.assert_series_equal(ranks.reindex(whole.index), whole["rank"], check_names=False)
        assert len(cohorts) > 1  # some variants rank other countries: `like`'s capabilities do not serve
