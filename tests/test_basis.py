"""The `assessed` basis: values this project's analysts assessed themselves (not the publisher's, not
a model's) flow through to the ranks, the changes, the pages and the downloads, labelled as theirs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.inputs import mapdata
from scoring.inputs.load import Project, load_project
from scoring.method.engine import run_all
from scoring.outputs import export
from scoring.pages import render as pages
from scoring.pages.render import SiteFiles

from .conftest import ROOT


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
    row = next(line for line in page.splitlines() if line.startswith("| Tiny index 2022 |"))
    assert row == "| Tiny index 2022 | 4th of 4 *assessed* | 21.50 | ▼ 1 *assessed* |"
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
