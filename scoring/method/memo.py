"""A result derived from one edition's `Results`, computed once for as long as those results live."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from scoring.method.engine import Results

T = TypeVar("T")


def per_results(make: Callable[[Results], T]) -> Callable[[Results], T]:
    """`make(results)`, computed once for as long as that `Results` object lives: what many pages, charts
    and downloads derive alike from one edition (its indicator values, contributions, cohort medians) is
    not redone per country or per indicator. Results are not changed once scored (frozen, their frames
    never edited in place), so callers must not edit what this returns in place either."""
    memo: dict[int, tuple[weakref.ref[Results], T]] = {}

    @functools.wraps(make)
    def cached(results: Results) -> T:
        hit = memo.get(id(results))
        if hit is not None and hit[0]() is results:
            return hit[1]
        value = make(results)
        memo[id(results)] = (weakref.ref(results), value)
        weakref.finalize(results, memo.pop, id(results), None)  # forgotten with the edition's results
        return value

    return cached
