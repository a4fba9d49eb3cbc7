"""The project's exceptions: every user mistake becomes a list of located problems, never a traceback."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a 1-based line and column (column 0 when the line is the point)."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{text}; hint: {self.hint}" if self.hint else text


class ProjectError(Exception):
    """A user mistake in the project's files; carries every problem found, sorted by place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class DataError(ProjectError):
    """A problem in a CSV under `data/`."""


class DefinitionError(ProjectError):
    """A problem in an index definition under `indices/`."""


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when it lies below it."""
    try:
        relative = Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if relative.parts[:1] == ("..",) else relative.as_posix()


class Collector:
    """Gathers problems so that validation can report all of them at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path, line, column, message, hint))

    def raise_if_any(self, kind: type[ProjectError] = ProjectError) -> None:
        if self.problems:
            raise kind(self.problems)
