"""`cyberpower validate`: every problem in `data/` and `indices/`, one line each."""

from __future__ import annotations

from pathlib import Path

from scoring.inputs.errors import Problem, ProjectError
from scoring.inputs.load import load_project
from scoring.method.engine import run_all


def validate(data_dir: Path, indices_dir: Path) -> list[Problem]:
    """All problems found (empty when the project is valid). Reads only; never writes."""
    try:
        run_all(load_project(data_dir, indices_dir))  # scoring finds an edition that ranks no one
    except ProjectError as error:
        return error.problems
    return []
