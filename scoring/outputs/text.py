"""Plain-text formatting of numbers, ranks and names, shared by terminal reports and pages."""

from __future__ import annotations

import math

try:  # pandas' missing value, without importing pandas at module import for tools that do not need it
    from pandas import NA as _NA
except ImportError:  # pragma: no cover
    _NA = object()


def missing(value: object) -> bool:
    return value is None or value is _NA or (isinstance(value, float) and math.isnan(value))


def number(value: object, digits: int = 2, signed: bool = False) -> str:
    """A number with fixed decimals, or an en dash when missing."""
    if missing(value):
        return "–"
    return f"{float(value):+.{digits}f}" if signed else f"{float(value):.{digits}f}"  # type: ignore[arg-type]


def ordinal(value: object) -> str:
    """1 → 1st, 2 → 2nd, 14 → 14th; an en dash when missing."""
    if missing(value):
        return "–"
    n = int(value)  # type: ignore[call-overload]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def place(rank: int, sharing: int, score: object = None) -> str:
    """A rank in words: "4th", "tied 4th" when `sharing` (> 1) countries have it, and at a shared score
    of 0 how many countries have none: "tied 4th (27 countries at 0)"."""
    if sharing <= 1:
        return ordinal(rank)
    if not missing(score) and float(score) == 0:  # type: ignore[arg-type]
        return f"tied {ordinal(rank)} ({sharing} countries at 0)"
    return f"tied {ordinal(rank)}"


def possessive(name: object) -> str:
    """United States → United States', Japan → Japan's."""
    text = str(name)
    return f"{text}'" if text.endswith("s") else f"{text}'s"


def rank(value: object) -> str:
    """A rank as a plain number, or an en dash when missing."""
    if missing(value):
        return "–"
    return str(int(value))  # type: ignore[call-overload]


def digits(published: int, estimated: bool, unit_scale: bool = False) -> int:
    """Decimals to show a value with: `published` for published values; for an estimate no more than
    it has: none on 0–100 (scores, capabilities), one on 0–1 (intents). Tables and charts share it."""
    return min(published, 1 if unit_scale else 0) if estimated else published
