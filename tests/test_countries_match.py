"""Which country a typed code or name means: the hint of an unknown `iso3` cell and `cyberpower country`."""

from __future__ import annotations

import pytest

from scoring.inputs.countries_match import ALIASES, fold, match, names_of, unknown_country_hint

NAMES = names_of(
    [
        ("JPN", ("Japan", "Japan")),
        ("KOR", ("Republic of Korea", "South Korea")),
        ("PRK", ("North Korea", "North Korea")),
        ("USA", ("United States", "US")),
        ("TUR", ("Turkey", "Türkiye")),
    ]
)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("kor", "KOR"),
        ("Kor", "KOR"),
        ("South Korea", "KOR"),
        ("south  korea", "KOR"),
        ("Korea, Rep.", "KOR"),
        ("Korea Rep.", "KOR"),
        ("ROK", "KOR"),
        ("KR", "KOR"),  # the alpha-2 code
        ("Korea, Republic of", "KOR"),  # the ISO name
        ("DPRK", "PRK"),
        ("Korea DPR", "PRK"),
        ("Korea, Dem. People's Rep.", "PRK"),
        ("USA", "USA"),
        ("U.S.", "USA"),
        ("United States of America", "USA"),
        ("turkiye", "TUR"),
        ("TÜRKIYE", "TUR"),
    ],
)
def test_a_code_name_or_alias_is_certain(query: str, code: str) -> None:
    assert match(query, NAMES).codes == (code,)
    assert match(query, NAMES).certain
    assert unknown_country_hint(query, NAMES) == f"did you mean {code} ({NAMES[code][0]})?"


def test_near_misses_are_suggested_not_certain() -> None:
    assert match("korea", NAMES).codes == ("KOR", "PRK")
    assert not match("korea", NAMES).certain
    assert match("KRO", NAMES).codes == ("KOR",)  # letters swapped
    assert unknown_country_hint("USB", NAMES) == "did you mean USA (United States)?"
    assert unknown_country_hint("Japn", NAMES) == "did you mean JPN (Japan)?"


def test_only_a_real_code_is_invited_into_countries_csv() -> None:
    # a real ISO code the project does not list yet
    assert unknown_country_hint("CHN", NAMES) == "add CHN (China) to data/countries.csv, or check the code"
    # an alias or name of an unlisted country: its code, never a near listed one (PRC is not PRK)
    assert unknown_country_hint("PRC", NAMES) == (
        "write its ISO 3166-1 alpha-3 code CHN, and add CHN to data/countries.csv"
    )
    assert unknown_country_hint("France", NAMES) == (
        "write its ISO 3166-1 alpha-3 code FRA, and add FRA to data/countries.csv"
    )
    # no code at all (Kosovo's XKX is user-assigned): no invitation to add it
    for text in ("XKX", "Atlantis"):
        assert unknown_country_hint(text, NAMES) == (
            "use the ISO 3166-1 alpha-3 code of a country listed in data/countries.csv"
        )


def test_more_names_feed_in() -> None:
    """A future `aliases` column of countries.csv joins a country's names; a table can replace ALIASES."""
    names = names_of([("KOR", ("Republic of Korea", "South Korea", "Hanguk", ""))])
    assert match("hanguk", names).codes == ("KOR",) and match("hanguk", names).certain
    assert not match("ROK", names, aliases={}).certain
    assert all(fold(alias) == alias for alias in ALIASES)  # the table is written folded
