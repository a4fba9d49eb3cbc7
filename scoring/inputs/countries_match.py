"""Which country a typed code or name most likely means: `kor`, `South Korea`, `ROK` → KOR.

Used where a country is named by hand: an unknown `iso3` cell in the data (validation suggests the code
instead of inviting a new row in `countries.csv`) and `cyberpower country`. The names a country goes by
are those of `countries.csv` (name, short_name; an `aliases` column, if one is added, joins them through
`names_of`) and a small built-in table of common abbreviations and official names (`ALIASES`), which
applies only to countries `countries.csv` lists.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pycountry

# common names, abbreviations and the World Bank / UN spellings analysts paste from other tables
ALIASES: dict[str, str] = {
    "dprk": "PRK",
    "north korea": "PRK",
    "korea dpr": "PRK",
    "korea dem rep": "PRK",
    "korea dem people s rep": "PRK",
    "democratic people s republic of korea": "PRK",
    "rok": "KOR",
    "south korea": "KOR",
    "korea rep": "KOR",
    "korea republic of": "KOR",
    "republic of korea": "KOR",
    "prc": "CHN",
    "people s republic of china": "CHN",
    "uk": "GBR",
    "u k": "GBR",
    "great britain": "GBR",
    "britain": "GBR",
    "england": "GBR",
    "us": "USA",
    "u s": "USA",
    "u s a": "USA",
    "america": "USA",
    "united states of america": "USA",
    "russia": "RUS",
    "russian federation": "RUS",
    "iran": "IRN",
    "iran islamic rep": "IRN",
    "islamic republic of iran": "IRN",
    "viet nam": "VNM",
    "vietnam": "VNM",
    "turkey": "TUR",
    "turkiye": "TUR",
    "uae": "ARE",
    "holland": "NLD",
    "czech republic": "CZE",
    "ivory coast": "CIV",
    "taiwan": "TWN",
    "syria": "SYR",
    "laos": "LAO",
}


def fold(text: str) -> str:
    """`text` as compared: no accents, case or punctuation (`Korea, Rep.` → `korea rep`)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold().replace("&", " and ")).split())


@dataclass(frozen=True)
class Match:
    """What `query` may mean: `codes` (at most three, best first); `certain` when the query is one of a
    country's codes or names, spelled otherwise (case, accents, punctuation) or as a known alias."""

    codes: tuple[str, ...]
    certain: bool = False


def names_of(rows: Iterable[tuple[str, Iterable[str]]]) -> dict[str, tuple[str, ...]]:
    """{iso3: names} from (iso3, names) pairs: the first name is the one a suggestion shows."""
    return {code: tuple(n for n in names if n) for code, names in rows}


def match(query: str, names: Mapping[str, tuple[str, ...]], aliases: Mapping[str, str] = ALIASES) -> Match:
    """The countries of `names` ({iso3: (name, short name, aliases...)}) that `query` may mean."""
    code, wanted = query.strip().upper(), fold(query)
    if code in names:
        return Match((code,), certain=True)
    folded = {fold(n): c for c, ns in names.items() for n in ns if fold(n)}
    exact = folded.get(wanted) or aliases.get(wanted) or _iso(query)
    if exact is not None and exact in names:
        return Match((exact,), certain=True)
    contains = [c for c, ns in names.items() if wanted and any(wanted in fold(n) for n in ns)]
    close = [folded[n] for n in difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.75)]
    codes = list(names)
    swapped = [c for c in codes if sorted(c) == sorted(code)]  # KRO for KOR: letters swapped
    by_code = difflib.get_close_matches(code, codes, n=3, cutoff=0.6) if len(code) <= 4 else []
    return Match(tuple(dict.fromkeys([*contains, *close, *swapped, *by_code]))[:3])


def _iso(query: str) -> str | None:
    """The alpha-3 code ISO 3166-1 gives `query` (an alpha-2 or alpha-3 code, or an official name)."""
    try:
        return str(pycountry.countries.lookup(query.strip()).alpha_3)
    except LookupError:
        return None


def did_you_mean(codes: Iterable[str], names: Mapping[str, tuple[str, ...]]) -> str:
    """`did you mean KOR (Republic of Korea) or PRK (North Korea)?`"""
    named = [f"{c} ({names[c][0]})" if names.get(c) else c for c in codes]
    return f"did you mean {' or '.join(named)}?"


def unknown_country_hint(text: str, names: Mapping[str, tuple[str, ...]]) -> str:
    """The hint for an `iso3` cell holding `text`, a code `names` does not list.

    A code or name of a listed country is suggested; a real ISO 3166-1 code not listed may be added;
    anything else is never invited into `countries.csv`, only matched to close codes and names."""
    found = match(text, names)
    if found.certain:
        return did_you_mean(found.codes, names)
    official = pycountry.countries.get(alpha_3=text) if re.fullmatch(r"[A-Z]{3}", text) else None
    if official is not None:
        return f"add {text} ({official.name}) to data/countries.csv, or check the code"
    other = ALIASES.get(fold(text)) or _iso(text)
    if other is not None:  # a name, alias or other code of a country the project does not list
        return f"write its ISO 3166-1 alpha-3 code {other}, and add {other} to data/countries.csv"
    if found.codes:
        return did_you_mean(found.codes, names)
    return "use the ISO 3166-1 alpha-3 code of a country listed in data/countries.csv"
