"""`cyberpower validate`: every problem in `data/` and `indices/`, one line each."""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, ProjectError
from .load import load_project


def validate(data_dir: Path, indices_dir: Path) -> list[Problem]:
    """All problems found (empty when the project is valid). Reads only; never writes."""
    try:
        load_project(data_dir, indices_dir)
    except ProjectError as error:
        return error.problems
    return []
