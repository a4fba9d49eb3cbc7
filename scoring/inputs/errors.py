"""The project's exceptions: every user mistake becomes a list of located problems, never a traceback."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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
    """One problem in one file, at a 1-based line and column (line 1, column 1 for the whole file).

    `cause` groups the problems that follow from one mistake: the place (`path:line:column`) of the
    problem that causes them, or a description shared by problems with one cause and no place of its
    own (`unknown country KOR`). `ProjectError` shows such a group as its first problem and one line
    counting the rest, so a file that cannot be read does not bury its own line under its consequences.
    """

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    cause: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        # positions are 1-based: a problem with a whole line or file points at its first column
        object.__setattr__(self, "line", max(self.line, 1))
        object.__setattr__(self, "column", max(self.column, 1))

    @property
    def place(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        text = f"{self.place}: {self.message}"
        return printable(f"{text}; hint: {self.hint}" if self.hint else text)


FILES_NAMED = 3  # files named in the line that counts a cause's consequences


def collapse(problems: Iterable[Problem]) -> list[Problem]:
    """`problems` sorted by place, each group with one cause shown as its cause and one line counting
    the rest: `… and 1955 more problems caused by the line above`. A problem that causes others comes
    first of all. A group of two stays whole: a count would hide a problem and save no line."""
    ordered = sorted(set(problems))
    at: dict[str, Problem] = {}
    groups: dict[str, list[Problem]] = {}
    for problem in ordered:
        at.setdefault(problem.place, problem)
        if problem.cause:
            groups.setdefault(problem.cause, []).append(problem)
    counted: dict[Problem, Problem] = {}  # the first of a group -> the line counting the rest
    hidden: set[Problem] = set()
    roots: list[Problem] = []
    for cause, members in groups.items():
        first = at.get(cause) or members[0]
        rest = [p for p in members if p is not first]
        if len(rest) < 2:
            continue
        counted[first] = _counting(first, rest)
        hidden.update(rest)
        if cause in at:
            roots.append(first)
    shown: list[Problem] = []
    for problem in roots + [p for p in ordered if p not in roots and p not in hidden]:
        shown.append(problem)
        if problem in counted:
            shown.append(counted[problem])
    return shown


def _counting(first: Problem, rest: list[Problem]) -> Problem:
    files = list(dict.fromkeys(p.path for p in rest))
    named = ", ".join(f"{f} ({sum(p.path == f for p in rest)})" for f in files[:FILES_NAMED])
    others = len(files) - FILES_NAMED
    more = f" and {others} more file{'s' if others > 1 else ''}" if others > 0 else ""
    return Problem(
        first.path,
        first.line,
        first.column,
        f"… and {len(rest)} more problems caused by the line above, in {named}{more}",
        "fix the line above; these go with it",
    )


class ProjectError(Exception):
    """A user mistake in the project's files; carries every problem found, sorted by place, with the
    consequences of one cause counted in one line (`problems`; all of them in `every_problem`)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.every_problem = sorted(set(problems))
        self.problems = collapse(self.every_problem)
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

    def add(self, path: str, line: int, column: int, message: str, hint: str = "", cause: str = "") -> None:
        self.problems.append(Problem(path, line, column, message, hint, cause))

    def raise_if_any(self, kind: type[ProjectError] = ProjectError) -> None:
        if self.problems:
            raise kind(self.problems)
