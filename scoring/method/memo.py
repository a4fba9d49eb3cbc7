"""What is derived from one edition's `Results`, computed once for as long as those results live."""

from __future__ import annotations

import dataclasses
import functools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

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


def kept(results: Results, part: tuple[str, str], shows: tuple[object, ...], make: Callable[[], T]) -> T:
    """`make()`: one part of a page or download (`part`: its kind and id) made of one edition's results
    and of `shows` (whatever else it is made of); kept with the results for as long as `shows` is the
    same (`==`; `Same` compares an object by identity). After an edit of another edition's data, the
    preview then makes the page or the download again, but not this part of it."""
    parts = _parts(results)
    if part not in parts or parts[part][0] != shows:
        parts[part] = (shows, make())
    return cast(T, parts[part][1])


@per_results
def _parts(results: Results) -> dict[tuple[str, str], tuple[tuple[object, ...], object]]:
    return {}


@dataclasses.dataclass(frozen=True, eq=False)
class Same:
    """An object that `kept` compares by identity (a large one, or one without a useful `==`). It holds
    the object, so no other object can take its identity while it is kept."""

    value: object

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value

    def __hash__(self) -> int:
        return id(self.value)
