"""The publisher's method (`[published_method]`): the methodology page says plainly when an edition is
computed with another, and its ranks are then not called published unless a published rank confirms
them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.inputs import mapdata
from scoring.inputs.load import load_project
from scoring.method.engine import run_all
from scoring.pages import render as pages

from .conftest import ROOT


def _section(page: str, anchor: str) -> str:
    start = page.index(f"{{ #{anchor} }}")
    end = page.find("\n## ", start)
    return page[start : end if end >= 0 else len(page)]


def _methodology(data: Path, indices: Path) -> str:
    project = load_project(data, indices)
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    site = pages.render(project, run_all(project, draws=0), ROOT / "templates", topology)
    return site.pages["methodology.md"]


@pytest.fixture(scope="module")
def zscore_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project with ncpi-2020 switched from its publisher's minmax to zscore."""
    root = tmp_path_factory.mktemp("zscore")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(ROOT / "indices", root / "indices")
    path = root / "indices" / "ncpi-2020.toml"
    text = path.read_text("utf-8")
    assert text.count('normalisation = "minmax"           #') == 1  # [method]'s, not [published_method]'s
    path.write_text(
        text.replace('normalisation = "minmax"           #', 'normalisation = "zscore"           #')
    )
    return root


def test_methodology_says_when_the_method_is_not_the_publishers(zscore_copy: Path) -> None:
    page = _methodology(zscore_copy / "data", zscore_copy / "indices")
    changed = _section(page, "ncpi-2020")
    assert (
        '!!! warning "Not the publisher\'s method"\n'
        "    National Cyber Power Index 2020 is computed here with a method that differs from the one its "
        "publisher used:\n"
        "    normalisation zscore, where the publisher used minmax. Its scores and ranks are this project's "
        "variant, not the published\n"
        "    ones: a rank is called published only where a published rank confirms it.\n"
    ) in changed
    same = _section(page, "ncpi-2022")
    assert "Not the publisher's method" not in same
    assert (
        "The method is the one the publisher used (arithmetic aggregation of objectives, equal weights)."
        in same
    )


def test_ranks_of_another_method_are_published_only_where_confirmed(zscore_copy: Path) -> None:
    shipped = run_all(load_project(ROOT / "data", ROOT / "indices"), draws=0)["ncpi-2020"]
    variant = run_all(load_project(zscore_copy / "data", zscore_copy / "indices"), draws=0)["ncpi-2020"]
    assert shipped.overall["rank_basis"].value_counts().to_dict() == {"published": 29}
    kept = variant.overall["rank"] == variant.overall.index.map(shipped.overall["rank"])
    counts = variant.overall["rank_basis"].value_counts().to_dict()
    assert counts["estimated"] > 0 and counts["published"] == int(kept[variant.overall["ranked"]].sum())


def test_unequal_weights_are_a_difference() -> None:
    from dataclasses import replace

    spec = load_project(ROOT / "data", ROOT / "indices").editions["ncpi-2020"].spec
    heavier = replace(spec, objectives=(replace(spec.objectives[0], weight=2.0), *spec.objectives[1:]))
    assert heavier.differences_from_published() == (
        "unequal weights, where the publisher weighted every objective and indicator equally",
    )
    assert spec.differences_from_published() == ()


def test_published_method_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "indices", tmp_path / "indices")
    path = tmp_path / "indices" / "ncpi-2022.toml"
    lines = path.read_text("utf-8").splitlines()
    at = lines.index("[published_method]") + 1
    lines[at:at] = ['normalisation = "minmax"', 'weights = "unequal"']
    lines.remove('weights = "equal"                  # equal: every objective alike')
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert main(["validate", "--data", str(ROOT / "data"), "--indices", str(tmp_path / "indices")]) == 2
    err = [line.split("indices/", 1)[1] for line in capsys.readouterr().err.splitlines()[:-1]]
    assert err == [
        f"ncpi-2022.toml:{at + 1}:1: ncpi-2022 gives capabilities per objective, not indicator values "
        '(data_level = "objectives"), so normalisation does not apply; hint: remove the line',
        f"ncpi-2022.toml:{at + 2}:1: 'weights' is 'unequal'; expected one of: equal",
    ]
