"""The project's exceptions: every user mistake becomes a list of located problems, never a traceback."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# control characters, and invisible ones that reorder or hide text (bidi overrides, zero widths,
# line and paragraph separators): shown escaped wherever text from a file reaches a terminal or a log
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` on one line with nothing a terminal would act on: `\\x1b`, `\\n`, `\\u202e` instead."""

    def escaped(match: re.Match[str]) -> str:
        c = match.group()
        return _SHORT.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")

    return _UNPRINTABLE.sub(escaped, text)


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
        return printable(f"{text}; hint: {self.hint}" if self.hint else text)


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
