"""Published-figure agreement after every edit: which figures of `facts.csv` the data still reproduces.

`validate` and `build` both report it, so an edit that changes a published figure is caught at once
rather than found later on the site ("They reproduce 21 of the 27 figures"). Each figure no longer
reproduced is a `FigureWarning` located at its row of the edition's `facts.csv` (the `value` cell), in the
compiler form `path:line:column: warning: what`; `--strict` turns each into a `Problem` (exit 2).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scoring.inputs.errors import Problem, display_path, printable
from scoring.inputs.load import Project
from scoring.method import facts
from scoring.method.engine import Results
from scoring.outputs.text import missing

HINT = "fix the data, or correct facts.csv if the published figure was wrong"


@dataclass(frozen=True, order=True)
class FigureWarning:
    """A published figure the computed results no longer reproduce, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.column}: warning: {self.message}")

    def as_problem(self) -> Problem:
        """The same figure as an error, for `--strict`."""
        return Problem(self.path, self.line, self.column, self.message, HINT)


@dataclass(frozen=True)
class Agreement:
    """One edition's published figures (`facts.csv`) against its computed results."""

    edition: str
    published: int
    reproduced: int
    warnings: tuple[FigureWarning, ...]

    def __str__(self) -> str:
        return f"{self.edition} {self.reproduced} of {self.published} reproduced"


def check(project: Project, results: Mapping[str, Results]) -> list[Agreement]:
    """Every edition's agreement, oldest first (editions with no facts.csv rows included, with 0 of 0)."""
    agreements = []
    for edition_id, edition in project.editions.items():
        result = results[edition_id]
        checks = facts.check(edition.facts, result, facts.previous_edition(result, list(results.values())))
        path = project.data_dir / edition_id / "facts.csv"
        column = _column(path, "value")
        lines = edition.facts["line"].tolist() if "line" in edition.facts else [0] * len(checks)
        warnings = tuple(
            FigureWarning(display_path(path), int(line), column, _message(c))
            for c, line in zip(checks, lines, strict=True)
            if not c.agrees
        )
        agreements.append(Agreement(edition_id, len(checks), len(checks) - len(warnings), warnings))
    return agreements


def summary(agreements: list[Agreement]) -> str:
    """`published figures: ncpi-2020 522 of 522 reproduced, ncpi-2022 27 of 27 reproduced`."""
    shown = [str(a) for a in agreements if a.published]
    return "published figures: " + (", ".join(shown) if shown else "none in any facts.csv")


def warnings(agreements: list[Agreement]) -> list[FigureWarning]:
    return [w for a in agreements for w in a.warnings]


def _message(check: facts.FactCheck) -> str:
    level, measure = check.fact.split("_", 1)
    if check.is_at_least:
        return _at_least_message(check)
    what = f"{check.iso3} {'overall' if level == 'overall' else check.objective} {measure}"
    text = f"published figure not reproduced: {what} is {_figure(check.published)}, computed"
    if check.computed is None or missing(check.computed):
        return f"{text} none (not ranked)"
    limit = "" if check.is_rank else f" (tolerance {_figure(check.tolerance)})"
    return f"{text} {_figure(check.computed)}{limit}"


def _at_least_message(check: facts.FactCheck) -> str:
    if check.fact == "objective_above":
        said = f"{check.iso3} above {check.other} on {check.objective}"
        places = "places above"
    else:
        said = f"{check.iso3} rose on {check.objective} since {check.previous or 'the previous edition'}"
        places = "places risen"
    text = f"published statement not reproduced: {said}, computed"
    if check.computed is None or missing(check.computed):
        return f"{text} none (not ranked)"
    return f"{text} {_figure(check.computed)} {places} (at least {_figure(check.published)})"


def _figure(value: float) -> str:
    """At most 4 decimals, no trailing zeros: 7, 14.5, 14.5012."""
    return f"{round(value, 4):.10g}"


def _column(path: Path, name: str) -> int:
    """The 1-based column of `name` in the CSV's header (0 when the file cannot say)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            header = [cell.strip() for cell in next(csv.reader(file), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return 0
    return header.index(name) + 1 if name in header else 0
