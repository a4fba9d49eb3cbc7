"""The `assessed` basis: values this project's analysts assessed themselves (not the publisher's, not
a model's) flow through to the ranks, the changes, the pages and the downloads, labelled as theirs."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from scoring.cli import main
from scoring.inputs import mapdata
from scoring.inputs.errors import ProjectError
from scoring.inputs.load import Project, load_project
from scoring.method.engine import Results, run_all
from scoring.outputs import export
from scoring.pages import charts
from scoring.pages import render as pages
from scoring.pages.charts.base import basis_mark, basis_of, places, rank_labels
from scoring.pages.contexts import uncertainty_sentence
from scoring.pages.markup import environment
from scoring.pages.render import SiteFiles

from .conftest import FIXTURES, ROOT


def _assessed(tiny_copy: Path) -> Project:
    """The tiny project with tiny-2022's estimated values re-marked `assessed` (USA stays published)."""
    path = tiny_copy / "data" / "tiny-2022" / "objectives.csv"
    path.write_text(path.read_text("utf-8").replace(",estimated,", ",assessed,"), "utf-8")
    return load_project(tiny_copy / "data", tiny_copy / "indices")


@pytest.fixture
def assessed_site(tiny_copy: Path) -> SiteFiles:
    project = _assessed(tiny_copy)
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    return pages.render(project, run_all(project, draws=0), ROOT / "templates", topology)


def _table_rows(page: str, header: str) -> list[str]:
    lines = page.splitlines()[page.splitlines().index(header) + 2 :]  # below the header and its rule
    return lines[: next(i for i, line in enumerate(lines) if not line.startswith("|"))]


def test_ranking_page_labels_assessed_ranks_and_changes(assessed_site: SiteFiles) -> None:
    page = assessed_site.pages["rankings/tiny-2022.md"]
    rows = _table_rows(page, "| rank | country | score | capability | intent | posture | change |")
    ranks = [row.split(" | ")[0] for row in rows]
    changes = [row.split(" | ")[-1] for row in rows]
    assert ranks == ["| 1 *assessed*", "| 2 *assessed*", "| 3 *assessed*", "| 4 *assessed*"]
    # USA 1st and KOR 2nd in both; PRK unranked in tiny-2020; JPN 3rd -> 4th
    assert changes == ["= *assessed* |", "= *assessed* |", "– |", "▼ 1 *assessed* |"]
    assert "*est.*" not in "\n".join(rows)
    assert '!!! note "Assessed values"' in page
    assert "Ranks marked *assessed* rest on this project's analysts' own assessed values" in page
    assert "one marked *assessed* a rank resting on the analysts' assessed values" in page
    assert "Estimated values" not in page


def test_country_history_labels_assessed_changes(assessed_site: SiteFiles) -> None:
    page = assessed_site.pages["countries/jpn.md"]
    row = next(line for line in page.splitlines() if line.startswith("| [Tiny index 2022]("))
    assert (
        row == "| [Tiny index 2022](../rankings/tiny-2022.md) | 4th of 4 *assessed* | 22 | ▼ 1 *assessed* |"
    )  # an assessed score is shown as an estimate is: no decimals on 0-100
    assert "Ranks marked *assessed* rest on this project's analysts' own assessed values" in page


def test_downloads_carry_the_assessed_basis(tiny_copy: Path) -> None:
    results = run_all(_assessed(tiny_copy), draws=0)
    files = export.download_files(results, load_project(tiny_copy / "data", tiny_copy / "indices").sources)
    rows = list(csv.DictReader(io.StringIO(files["tiny-2022/overall.csv"].decode())))
    found = {r["iso3"]: (r["basis"], r["rank_basis"], r["rank_change"], r["change_basis"]) for r in rows}
    assert found == {
        "USA": ("published", "assessed", "0", "assessed"),
        "KOR": ("assessed", "assessed", "0", "assessed"),
        "PRK": ("assessed", "assessed", "", ""),
        "JPN": ("assessed", "assessed", "-1", "assessed"),
    }
    assert list(rows[0])[-1] == "change_basis"  # a new column comes after the existing ones
    document = json.loads(files["tiny-2022/results.json"])
    assert document["edition"]["assessed"] is True and document["edition"]["estimated"] is False


def test_score_and_country_commands_say_assessed(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _assessed(tiny_copy)
    assert main(["score", "tiny-2022", "--draws", "0"]) == 0
    out = capsys.readouterr().out
    assert "Values marked assessed in the data: figures resting on them are this project's analysts' " in out
    assert main(["country", "JPN"]) == 0
    out = capsys.readouterr().out
    assert "; analysts' assessed values" in out


def test_unknown_basis_lists_assessed(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tiny_copy / "data" / "tiny-2022" / "objectives.csv"
    path.write_text(
        path.read_text("utf-8").replace("JPN,defense,70,0.6,estimated", "JPN,defense,70,0.6,ours")
    )
    assert main(["validate"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "data/tiny-2022/objectives.csv:2:5: basis 'ours' is not one of published, assessed, estimated, "
        "missing (row JPN, defense)"
    )


# --- charts: an assessed value is marked "(assessed)", never "(estimate)", at an estimate's precision -----


def test_basis_marks_follow_one_rule() -> None:
    assert basis_of(["published", "published"]) == ()
    assert basis_mark(basis_of(["published", "estimated"])) == " (estimate)"
    assert basis_mark(basis_of(["assessed", "published"])) == " (assessed)"
    # an edition of both kinds calls neither by the other's name
    assert basis_mark(basis_of(["assessed"], ["estimated"])) == " (estimate or assessed)"
    assert [places(2, b) for b in [(), ("estimated",), ("assessed",)]] == [2, 0, 0]
    assert places(2, ("assessed",), unit_scale=True) == 1
    ranks, bases = pd.Series([1, 2, None, 4]), pd.Series(["published", "assessed", None, "estimated"])
    assert rank_labels(ranks, bases) == ["1", "2 assessed", None, "4 est."]


def test_charts_mark_assessed_values(assessed_site: SiteFiles) -> None:
    charts = assessed_site.charts
    for chart in charts.values():  # nothing in the tiny project is a model's estimate any more
        text = chart.json() + chart.table.to_csv()
        assert "(estimate" not in text and " est." not in text and "estimates" not in chart.description
    ranking = charts["ranking-tiny-2022"]
    encoding = ranking.spec["encoding"]
    assert encoding["x"]["title"] == "Overall score (0–100) (assessed)"
    assert [(t.get("title"), t.get("format")) for t in encoding["tooltip"]] == [
        ("Country", None),
        ("Rank", None),
        ("Overall score (assessed)", ".0f"),
        ("Objective", None),
        ("Contribution (assessed)", ".0f"),
    ]
    assert ranking.description.endswith(
        "contributions of the 2 objectives; scores are the analysts' assessments."
    )
    assert ranking.table.to_dict("list") == {
        "rank": ["1 assessed", "2 assessed", "3 assessed", "4 assessed"],
        "country": ["United States", "Republic of Korea", "North Korea", "Japan"],
        "score (assessed)": ["45", "37", "28", "22"],  # 45.00, 36.50, 27.75, 21.50: to the whole point
    }
    profile = charts["profile-tiny-2022-jpn"]
    assert profile.table.to_dict("list") == {
        "objective": ["Defense", "Destructive"],
        "score (assessed)": ["42", "1"],
        "median (assessed)": ["44", "24"],
        "rank (assessed)": ["3rd", "4th"],
    }
    assert "highest: Defense at 42; scores are the analysts' assessments." in profile.description
    capint = charts["capint-tiny-2022-jpn"]
    assert list(capint.table.columns) == [
        "objective",
        "Capability (0–100) (assessed)",
        "Intent (0–1, ×100) (assessed)",
    ]
    history = charts["history-jpn"]
    assert history.table.to_dict("list") == {
        "edition": ["Tiny index 2022", "Tiny index 2020"],
        "rank": ["4 assessed", "3"],
        "score": ["22 assessed", "8.75"],
    }
    assert history.description == "Line chart of Japan's overall rank by edition (2022: 4 assessed, 2020: 3)."
    assert {
        "Orientation (−1 defense…+1 offense) (assessed)",
        "Offense score (0–100) (assessed)",
        "Orientation (assessed)",
        "Offensive intent (assessed)",
    } <= _titles(charts["posture-tiny-2022"].spec)
    assert list(charts["quadrant-tiny-2022-defense"].table.columns) == [
        "rank (assessed)",
        "country",
        "capability (assessed)",
        "intent (assessed)",
        "score (assessed)",
    ]
    assert list(charts["map-tiny-2022"].table.columns)[2] == "Overall score (assessed)"
    assert list(charts["compare-tiny-2022"].table.columns)[1:] == [
        "North Korea (assessed)",
        "Republic of Korea (assessed)",
    ]
    # a published edition beside it stays unmarked, at full precision
    assert charts["ranking-tiny-2020"].table.to_dict("list")["score"] == [50.0, 14.5, 8.75]


def _titles(spec: object) -> set[str]:
    """Every title in a Vega-Lite spec (axes, tooltips, legends)."""
    if isinstance(spec, dict):
        own = {spec["title"]} if isinstance(spec.get("title"), str) else set()
        return own.union(*(_titles(v) for k, v in spec.items() if k != "datasets"))
    if isinstance(spec, list):
        return set().union(*(_titles(v) for v in spec))
    return set()


def test_mixed_edition_names_both(tiny_copy: Path) -> None:
    """KOR's values assessed, JPN's and PRK's estimated: the edition's charts name both kinds."""
    path = tiny_copy / "data" / "tiny-2022" / "objectives.csv"
    path.write_text(
        path.read_text("utf-8")
        .replace("KOR,defense,80,0.9,estimated", "KOR,defense,80,0.9,assessed")
        .replace("KOR,destructive,20,0.1,estimated", "KOR,destructive,20,0.1,assessed")
    )
    project = load_project(tiny_copy / "data", tiny_copy / "indices")
    result = run_all(project, draws=0)["tiny-2022"]
    chart = charts.ranking(result)
    assert chart.spec["encoding"]["x"]["title"] == "Overall score (0–100) (estimate or assessed)"
    assert chart.description.endswith("; scores are estimates or the analysts' assessments.")


# --- pages ------------------------------------------------------------------------------------------------


def test_pages_say_assessed(assessed_site: SiteFiles) -> None:
    pages_ = assessed_site.pages
    data = pages_["data.md"].splitlines()
    assert [line.split(" | ")[0] for line in data if line.startswith("| Tiny index")] == [
        "| Tiny index 2022 (assessed)",
        "| Tiny index 2020",
    ]
    legend = (
        "Ranks marked *assessed* rest on this project's analysts' own assessed values, not published ones."
    )
    assert (
        "with its overall rank in each (columns: the editions by year). " + legend + " Click a column"
        in pages_["countries/index.md"]
    )
    assert "*est.*" not in pages_["countries/index.md"]
    assert legend + "\n" in pages_["posture.md"] and "*est.*" not in pages_["posture.md"]
    ranking = pages_["rankings/tiny-2022.md"]
    assert (
        "| 4 *assessed* | [Japan](../countries/jpn.md) | 22 | 40 | 0.3 | defensive | ▼ 1 *assessed* |"
        in ranking
    )
    assert (
        "Scores, capabilities and intents are shown to the whole point (intents to one decimal), as estimates\n"
        in ranking
    )
    assert (
        "| **4th** of 4 *assessed* | 22 | 40 (3rd) | 0.3 (4th) | **defensive** | passive |"
        in pages_["countries/jpn.md"]
    )
    assert (
        "Ranked only in Tiny index 2022&#58; 3rd of 4 &#40;assessed&#41;, with a score of 28 &#40;assessed&#41;; "
        "listed but not ranked in Tiny index 2020." in pages_["countries/prk.md"]
    )


def test_legend_names_both_marks() -> None:
    env = environment(ROOT / "templates")
    macro = env.get_template("_macros.md.j2").module.est_legend  # type: ignore[attr-defined]
    both = [SimpleNamespace(estimated_ranks=True, assessed_ranks=False)] * 2 + [
        SimpleNamespace(estimated_ranks=False, assessed_ranks=True)
    ]
    assert str(macro(both)) == (
        "Ranks marked *est.* are this project's estimates, not published ranks. Ranks marked *assessed* rest "
        "on this project's analysts' own assessed values, not published ones."
    )
    assert str(macro([SimpleNamespace(estimated_ranks=False, assessed_ranks=False)])) == ""


# --- uncertainty: assessed values are exact unless [uncertainty] gives them an error -----------------------

UNCERTAINTY = """
[uncertainty]
draws = 200
seed = 3
weight_perturbation = 0.2
estimated_capability = 20
estimated_intent = 0.2
"""


def _with_uncertainty(tiny_copy: Path, basis: str, extra: str = "") -> Results:
    path = tiny_copy / "data" / "tiny-2022" / "objectives.csv"
    path.write_text(
        path.read_text("utf-8").replace(",estimated,", f",{basis},").replace(",assessed,", f",{basis},")
    )
    toml = tiny_copy / "indices" / "tiny-2022.toml"
    toml.write_text(toml.read_text("utf-8") + UNCERTAINTY + extra, "utf-8")
    return run_all(load_project(tiny_copy / "data", tiny_copy / "indices"))["tiny-2022"]


def _intervals(result: Results) -> list[tuple[int, int]]:
    return list(zip(result.overall["rank_low"], result.overall["rank_high"], strict=True))


def test_assessed_values_are_exact_by_default(tiny_copy: Path, tmp_path: Path) -> None:
    published, assessed = shutil.copytree(FIXTURES / "tiny", tmp_path / "published"), tiny_copy
    exact = _with_uncertainty(published, "published")
    taken = _with_uncertainty(assessed, "assessed")
    assert taken.intervals is not None and exact.intervals is not None
    assert taken.intervals.settings.assessed_capability == 0 and taken.intervals.settings.assessed_intent == 0
    # the estimated_* errors do not reach them: the draws are those of published values
    pd.testing.assert_frame_equal(taken.intervals.overall, exact.intervals.overall)
    assert _intervals(taken) == [(1, 1), (2, 2), (3, 3), (4, 4)]


def test_assessed_errors_vary_the_assessed_values(tiny_copy: Path) -> None:
    result = _with_uncertainty(tiny_copy, "assessed", "assessed_capability = 30\nassessed_intent = 0.3\n")
    assert result.intervals is not None
    assert (result.intervals.settings.assessed_capability, result.intervals.settings.assessed_intent) == (
        30,
        0.3,
    )
    assert _intervals(result) != [(1, 1), (2, 2), (3, 3), (4, 4)]  # the ranks now move over the draws
    chart = charts.rank_intervals(result)
    assert chart is not None
    assert chart.description.endswith("; ranks marked assessed are the analysts' assessments.")
    assert chart.table["rank"].tolist() == ["1 assessed", "2 assessed", "3 assessed", "4 assessed"]


@pytest.mark.parametrize(
    ("extra", "varied"),
    [
        ("", "the analysts' assessed values not at all (taken as exact)"),
        (
            "assessed_capability = 5\nassessed_intent = 0.05\n",
            "the analysts' assessed values ±5 capability points and ±0.05 intent",
        ),
    ],
)
def test_country_page_says_what_the_draws_do_to_assessed_values(
    tiny_copy: Path, extra: str, varied: str
) -> None:
    result = _with_uncertainty(tiny_copy, "assessed", extra)
    sentence = uncertainty_sentence(result, "JPN", str(result.overall.loc["JPN", "posture"]))
    assert sentence.startswith(
        "Across 200 draws that vary the method's assumptions (weights ×0.8–1.2; estimated values ±20 capability "
        f"points and ±0.2 intent; {varied}), the rank "
    )


def test_assessed_errors_are_validated(tiny_copy: Path) -> None:
    toml = tiny_copy / "indices" / "tiny-2022.toml"
    toml.write_text(
        toml.read_text("utf-8") + UNCERTAINTY + "assessed_capability = 101\nassessed_intent = -0.1\n"
    )
    line = len(toml.read_text("utf-8").splitlines()) - 1
    with pytest.raises(ProjectError) as caught:
        load_project(tiny_copy / "data", tiny_copy / "indices")
    assert [str(p) for p in caught.value.problems] == [
        f"indices/tiny-2022.toml:{line}:1: 'assessed_capability' is 101; it must be at least 0 and at most 100",
        f"indices/tiny-2022.toml:{line + 1}:1: 'assessed_intent' is -0.1; it must be at least 0 and at most 1",
    ]
