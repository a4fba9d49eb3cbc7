"""Checking one CSV cell by the kind of its column: numbers, ranges, ids, references, links.

Each check returns None for a good cell, or (message, hint) for a bad one; `load` adds the place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import pycountry

from scoring.inputs.countries_match import unknown_country_hint
from scoring.inputs.schema import BASES, FACT_KINDS, Column
from scoring.inputs.text import NAME, PROSE, text_problem

NOT_A_NUMBER = {"nan", "na", "n/a", "null", "none", "-", "--", "?", "inf", "+inf", "-inf", "infinity"}
LARGEST = 1e12
COUNT_UNITS = {"count", "people"}


@dataclass
class Context:
    """What cells may refer to while one file is checked."""

    countries: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    editions: set[str] = field(default_factory=set)
    objectives: set[str] = field(default_factory=set)
    indicators: dict[str, str] = field(default_factory=dict)  # id -> unit
    country_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # iso3 -> names, for hints
    country_cause: str = ""  # the place of the problem that left countries.csv unread, if any
    country_causes: dict[str, str] = field(default_factory=dict)  # iso3 -> place of its unread row


def number(text: str) -> float | None:
    if text.lower() in NOT_A_NUMBER:
        return None
    try:
        value = float(text.replace("_", "x"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_cell(column: Column, text: str, cells: dict[str, str], context: Context) -> tuple[str, str] | None:
    name, kind = column.name, column.kind
    if not text:
        measured = kind == "number" or (kind in ("capability", "intent") and "capability" in cells)
        if measured and "basis" in cells and cells["basis"] != "missing":
            return (
                f"{name} is empty but basis is '{cells['basis']}'",
                "an unknown value needs basis 'missing'",
            )
        if column.optional or measured:
            return None
        return (f"{name} is empty", f"{column.description}")
    if len(text) > 10_000:
        return (f"{name} is {len(text)} characters long; at most 10000", "")
    checks: dict[str, Callable[[], tuple[str, str] | None]] = {
        "id3": lambda: _iso_code(text),
        "iso3": lambda: (
            None
            if text in context.countries
            else (
                f"unknown country '{text}'",
                unknown_country_hint(text, context.country_names or {c: () for c in context.countries}),
            )
        ),
        "id": lambda: (
            None
            if re.fullmatch(r"[a-z0-9][a-z0-9\-]*", text)
            else (f"'{text}' is not a valid id", "use lower case letters, digits and hyphens")
        ),
        "name": lambda: text_problem(name, text, column.max_length, NAME),
        "prose": lambda: text_problem(name, text, column.max_length, PROSE),
        "date": lambda: _check_date(name, text),
        "number": lambda: _checknumber(name, text, cells, context),
        "capability": lambda: _check_range(name, text, 0, 100, "capabilities are on 0–100"),
        "intent": lambda: _check_range(name, text, 0, 1, "intents are shares from 0 to 1"),
        "basis": lambda: _check_basis(text, cells),
        "source": lambda: (
            None if text in context.sources else (f"unknown source '{text}'", "add it to data/sources.csv")
        ),
        "sources": lambda: _unknown(text.split(), context.sources, "source", "add it to data/sources.csv"),
        "edition": lambda: (
            None
            if text in context.editions
            else (f"unknown edition '{text}'", f"editions: {', '.join(sorted(context.editions))}")
        ),
        "objective": lambda: (
            None
            if text in context.objectives
            else (
                f"unknown objective '{text}'",
                f"objectives of this edition: {', '.join(sorted(context.objectives))}",
            )
        ),
        "indicator": lambda: (
            None
            if text in context.indicators
            else (f"unknown indicator '{text}'", "it is not in the edition's [indicators] catalogue")
        ),
        "url": lambda: _check_url(text),
        "fact": lambda: _check_fact(text, cells),
    }
    return checks[kind]()


def _check_url(text: str) -> tuple[str, str] | None:
    """An http(s) address with a host, that `urllib` parses whole (port included)."""
    hint = "only http:// and https:// links are allowed"
    if not re.match(r"https?://[^\s<>\"'`\\]+$", text):
        return (f"'{text[:80]}' is not an http(s) address", hint)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (parses the port, raising on a bad one)
    except ValueError as error:
        return (f"'{text[:80]}' is not a valid address ({error})", hint)
    if not parts.hostname:
        return (f"'{text[:80]}' has no host", "write the whole address, such as https://example.org/")
    return None


def _check_date(name: str, text: str) -> tuple[str, str] | None:
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if found:
        try:
            date(int(found.group(1)), int(found.group(2) or 1), int(found.group(3) or 1))
        except ValueError:
            pass
        else:
            return None
    return (f"{name} '{text[:40]}' is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD, such as 2022-09")


def _iso_code(text: str) -> tuple[str, str] | None:
    if not re.fullmatch(r"[A-Z]{3}", text) or pycountry.countries.get(alpha_3=text) is None:
        return (f"'{text}' is not an ISO 3166-1 alpha-3 country code", "for example KOR, PRK, USA")
    return None


def _decimal_comma(name: str, text: str) -> tuple[str, str] | None:
    """A number written with a comma (`0,6843`, `1,234`): a spreadsheet in a comma-decimal locale."""
    if not re.fullmatch(r"[+-]?\d+(,\d+)+", text):
        return None
    if text.count(",") > 1:
        return (f"{name} '{text[:40]}' is not a number: it has commas", "write it without separators")
    return (
        f"{name} '{text[:40]}' is not a number: it has a decimal comma",
        f"use '.' for decimals: {text.replace(',', '.')} (a number has no thousands separator)",
    )


def _checknumber(name: str, text: str, cells: dict[str, str], context: Context) -> tuple[str, str] | None:
    value = number(text)
    if value is None:
        return _decimal_comma(name, text) or (
            f"{name} '{text[:40]}' is not a number",
            "write digits with a '.' for decimals, or leave it empty with basis 'missing'",
        )
    if abs(value) > LARGEST:
        return (f"{name} {text} is implausibly large (above 1e12)", "check the unit")
    if value < 0 and context.indicators.get(cells.get("indicator", "")) in COUNT_UNITS:
        return (f"{name} {text} is negative, but indicator '{cells['indicator']}' is a count", "")
    return None


def _check_range(name: str, text: str, low: float, high: float, hint: str) -> tuple[str, str] | None:
    value = number(text)
    if value is None:
        return _decimal_comma(name, text) or (f"{name} '{text[:40]}' is not a number", hint)
    if not low <= value <= high:
        return (f"{name} {text} is outside {low:g}–{high:g}", hint)
    return None


def _check_basis(text: str, cells: dict[str, str]) -> tuple[str, str] | None:
    if text not in BASES:
        return (f"basis '{text}' is not one of {', '.join(BASES)}", "")
    if text == "missing" and cells.get("value", ""):
        return ("basis is 'missing' but a value is given", "empty the value, or give its basis")
    if text == "missing" and "capability" in cells and cells["capability"] and cells["intent"]:
        return ("basis is 'missing' but capability and intent are given", "empty what is unknown")
    if text == "missing" and "value" not in cells and "capability" not in cells:
        return ("basis 'missing' is only for measured values (raw indicators, capability, intent)", "")
    return None


def _check_fact(text: str, cells: dict[str, str]) -> tuple[str, str] | None:
    if text not in FACT_KINDS:
        return (f"fact '{text}' is not one of {', '.join(FACT_KINDS)}", "")
    if text.startswith("overall_") and cells.get("objective"):
        return (f"an {text} fact has no objective; leave the objective empty", "")
    if text.startswith("objective_") and not cells.get("objective"):
        return (f"an {text} fact needs an objective", "")
    if (text == "objective_above") != bool(cells.get("other")):
        if cells.get("other"):
            return (f"an {text} fact has no other country; leave other empty", "")
        return (f"an {text} fact needs the other country it ranks above", "")
    if text == "objective_above" and cells.get("other") == cells.get("iso3"):
        return (f"an {text} fact compares two different countries", "")
    return None


def _unknown(items: Iterable[str], known: set[str], what: str, hint: str) -> tuple[str, str] | None:
    missing = [i for i in items if i not in known]
    return (f"unknown {what} '{missing[0]}'", hint) if missing else None
