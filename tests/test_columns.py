"""The data page documents every column that `scoring/outputs/columns.py` declares, from that declaration."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from scoring.inputs import mapdata
from scoring.inputs.load import Project, load_project
from scoring.method.engine import Results, run_all
from scoring.outputs import columns
from scoring.outputs.columns import OVERALL, Column
from scoring.pages import render

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def tiny() -> tuple[Project, dict[str, Results], dict[str, Any]]:
    project = load_project(FIXTURES / "tiny" / "data", FIXTURES / "tiny" / "indices")
    return project, run_all(project), mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)


def _data_page(tiny: tuple[Project, dict[str, Results], dict[str, Any]]) -> str:
    return render.render(*tiny[:2], ROOT / "templates", tiny[2]).pages["data.md"]


def test_data_page_documents_every_declared_column(
    tiny: tuple[Project, dict[str, Results], dict[str, Any]],
) -> None:
    text = _data_page(tiny)
    for download in columns.DOWNLOADS:
        section = text.split(f"## `{download.name}`\n\n", 1)[1]
        if download.about:  # what a row is, before the column table
            assert section.startswith(download.about + "\n\n")
            section = section.split("\n\n", 1)[1]
        section = section.split("\n\n", 1)[0]
        assert section.splitlines()[2:] == [f"| `{c.name}` | {c.description} |" for c in download.columns]


def test_a_column_added_to_the_declaration_shows_on_the_data_page(
    monkeypatch: pytest.MonkeyPatch, tiny: tuple[Project, dict[str, Results], dict[str, Any]]
) -> None:
    added = Column("rank_low", "lower end of the rank's 5–95 % interval", ranked_only=True)
    grown = dataclasses.replace(OVERALL, columns=(*OVERALL.columns, added))
    monkeypatch.setattr(columns, "DOWNLOADS", (grown, columns.OBJECTIVES))
    assert "| `rank_low` | lower end of the rank's 5–95 % interval; empty when not ranked |\n" in _data_page(
        tiny
    )


def test_description_joins_meaning_unit_and_emptiness() -> None:
    assert OVERALL.column("score").description == "overall score, 0–100; empty when not ranked"
    assert OVERALL.column("intent").description == "intent index, 0–1"
    assert columns.OBJECTIVES.column("intent").description == "0–1"
