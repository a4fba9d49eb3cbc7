"""Shared fixtures: the real project, loaded and scored once, and the tiny hand-made project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scoring.inputs.load import Project, load_project
from scoring.method.engine import Results, run_all

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def project() -> Project:
    return load_project(ROOT / "data", ROOT / "indices")


@pytest.fixture(scope="session")
def results(project: Project) -> dict[str, Results]:
    return run_all(project)


@pytest.fixture(scope="session")
def tiny_project() -> Project:
    return load_project(FIXTURES / "tiny" / "data", FIXTURES / "tiny" / "indices")


@pytest.fixture
def tiny_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the tiny project, made the working directory (so paths print as data/...)."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "tiny", target)
    monkeypatch.chdir(target)
    return target


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `reference` read ../shared/reference (the published figures, not in the repository).

    Where it is missing they fail, except on GitHub Actions, whose checkout cannot have it: there they
    are skipped with that reason. Our own CI runs beside shared/ and so always runs them.
    """
    if item.get_closest_marker("reference") and not REFERENCE.is_dir():
        if os.environ.get("GITHUB_ACTIONS") == "true":
            pytest.skip(f"published reference figures not available at {REFERENCE}")
        pytest.fail(f"published reference figures not found at {REFERENCE}")
