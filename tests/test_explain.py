"""Every number explained: contributions sum to each capability, and `cyberpower explain` says what
the country page says."""

from __future__ import annotations

import re

import pytest

from scoring.cli import main
from scoring.inputs import mapdata
from scoring.inputs.load import Project
from scoring.method import explain
from scoring.method.engine import Results, run, run_all
from scoring.pages import render

from .conftest import FIXTURES, ROOT


def test_contributions_sum_to_each_capability(results: dict[str, Results], tiny_project: Project) -> None:
    tiny = run_all(tiny_project, draws=0)
    for result in [results["ncpi-2020"], tiny["tiny-2020"]]:
        contributed = explain.contributions(result)
        assert contributed is not None
        sums = contributed.groupby(["iso3", "objective"])["contribution"].sum()
        capabilities = result.objectives.set_index(["iso3", "objective"])["capability"].reindex(sums.index)
        assert (sums - capabilities).abs().max() < 0.001
        assert set(contributed["iso3"]) == set(result.ranked.index)  # no cohort, no contribution


def test_tiny_contributions_by_hand(tiny_project: Project) -> None:
    # KOR defense: firms 4 of 4–10 scales to 0; infections 0.12 of 0.10–0.15 scales to 0.4, turned round
    # to 0.6; capability (0 + 0.6) ÷ 2 × 100 = 30, all of it from infections
    result = run(tiny_project.editions["tiny-2020"], tiny_project.countries)
    contributed = explain.contributions(result)
    assert contributed is not None
    kor = contributed[(contributed["iso3"] == "KOR") & (contributed["objective"] == "defense")]
    assert kor[["indicator", "value", "normalised", "contribution"]].values.tolist() == [
        ["firms", 4.0, 0.0, 0.0],
        ["infections", 0.12, pytest.approx(0.6), pytest.approx(30.0)],
    ]
    assert kor["source"].tolist() == ["tiny-source"] * 2


def test_standings_rank_among_the_cohort(tiny_project: Project) -> None:
    result = run(tiny_project.editions["tiny-2020"], tiny_project.countries)
    contributed = explain.contributions(result)
    assert contributed is not None
    best, worst = explain.strengths_and_weaknesses(explain.standings(contributed), "KOR", 1)
    # KOR: firms 3rd of 3 (4 of 4, 7, 10), infections 2nd (less is stronger), units 2nd
    assert best[["indicator", "rank", "of"]].values.tolist() == [["infections", 2, 3]]
    assert worst[["indicator", "rank", "of"]].values.tolist() == [["firms", 3, 3]]


def test_an_objective_level_edition_has_no_indicator_level(results: dict[str, Results]) -> None:
    assert explain.contributions(results["ncpi-2022"]) is None
    assert explain.indicator_values(results["ncpi-2022"]) is None


CELL = re.compile(r"\[([^\]]*)\]\(\.\./indicators/([^)]+)\.md\)")


def _page_rows(markdown: str) -> dict[str, list[tuple[str, str, str, str]]]:
    """(indicator, value, normalised, contribution) per objective, from the country page's drill-down."""
    rows: dict[str, list[tuple[str, str, str, str]]] = {}
    for block in re.findall(r"<summary>([^<]*?): capability [^<]*</summary>(.*?)</details>", markdown, re.S):
        name, table = block
        for line in table.splitlines():
            found = CELL.match(line.removeprefix("| "))
            if found:
                cells = [c.strip() for c in line.strip("|").split("|")]
                rows.setdefault(name, []).append((found.group(2), cells[1], cells[3], cells[6]))
    return rows


def _cli_rows(text: str, names: dict[str, str]) -> dict[str, list[tuple[str, str, str, str]]]:
    rows: dict[str, list[tuple[str, str, str, str]]] = {}
    current = ""
    for line in text.splitlines():
        heading = re.match(r"^(\w+): capability ", line)
        if heading:
            current = names[heading.group(1)]
        elif current and line.startswith("  ") and not line.lstrip().startswith(("indicator", "---")):
            cells = line.split()
            rows.setdefault(current, []).append((cells[0], cells[1], cells[-6], cells[-3]))
        elif not line.strip():
            pass
    return rows


@pytest.fixture(scope="module")
def tiny_pages(tiny_project: Project) -> dict[str, str]:
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    return render.render(tiny_project, run_all(tiny_project), ROOT / "templates", topology).pages


@pytest.mark.parametrize("iso3", ["JPN", "KOR", "USA"])
def test_explain_and_the_country_page_agree(
    iso3: str, tiny_pages: dict[str, str], tiny_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny = FIXTURES / "tiny"
    args = ["explain", iso3, "--edition", "tiny-2020", "--data", str(tiny / "data"), "--indices"]
    assert main([*args, str(tiny / "indices")]) == 0
    names = {o.id: o.name for o in tiny_project.editions["tiny-2020"].spec.objectives}
    page = _page_rows(tiny_pages[f"countries/{iso3.lower()}.md"])
    cli = _cli_rows(capsys.readouterr().out, names)
    assert page == cli and sum(len(v) for v in page.values()) == 4


def test_explain_prints_the_decomposition(capsys: pytest.CaptureFixture[str]) -> None:
    tiny = FIXTURES / "tiny"
    common = ["--data", str(tiny / "data"), "--indices", str(tiny / "indices")]
    assert main(["explain", "kor", "--edition", "tiny-2020", *common]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Republic of Korea (KOR) in Tiny index 2020 (tiny-2020)\nrank 2 of 3, score 14.50")
    assert "  infections  0.120  share       0.600  -       1.0         30.00  published  tiny-source" in out
    assert main(["explain", "KOR", *common]) == 0  # the newest edition: given per objective
    assert "tiny-2022 is given per objective" in capsys.readouterr().out
    assert main(["explain", "PRK", "--edition", "tiny-2020", *common]) == 0
    assert "not ranked: capability data for 1 of 3 indicators" in capsys.readouterr().out
    assert main(["explain", "XXX", *common]) == 2
    assert capsys.readouterr().err == "cyberpower: no country 'XXX' in any edition\n"
    assert main(["explain", "KOR", "--edition", "nope", *common]) == 2
    assert "unknown edition 'nope'" in capsys.readouterr().err
