"""Shared fixtures: the real project, loaded and scored once, and the tiny hand-made project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring.inputs.load import Project, load_project
from scoring.method.engine import Results, run_all

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
