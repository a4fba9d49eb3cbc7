"""`cyberpower editions`, `country` and `diff` on the tiny project: exact output, lookups, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from scoring.cli import main
from scoring.outputs.daily import UnknownCountry, find_country

UNCERTAINTY = """
[uncertainty]
draws = 200
seed = 3
weight_perturbation = 0.2
estimated_capability = 5
estimated_intent = 0.05
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    assert main(list(args)) == code
    captured = capsys.readouterr()
    assert captured.err == "" if code == 0 else captured.out == ""
    return captured.out if code == 0 else captured.err


def test_editions(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "editions").splitlines() == [
        "edition    title            year  countries  ranked  estimated",
        "---------  ---------------  ----  ---------  ------  ---------",
        "tiny-2020  Tiny index 2020  2020          4       3         0%",
        "tiny-2022  Tiny index 2022  2022          4       4        75%",
        "",
        "estimated: the share of the edition's data rows whose basis is estimated.",
    ]
    assert _run(capsys, "editions", "--format", "csv") == (
        "id,title,year,countries,ranked,estimated_share\n"
        "tiny-2020,Tiny index 2020,2020,4,3,0.0\n"
        "tiny-2022,Tiny index 2022,2022,4,4,0.75\n"
    )
    assert json.loads(_run(capsys, "editions", "--format", "json"))[1] == {
        "id": "tiny-2022",
        "title": "Tiny index 2022",
        "year": 2022,
        "countries": 4,
        "ranked": 4,
        "estimated_share": 0.75,
    }


def test_country_in_every_edition_with_rank_intervals(
    tiny_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition = tiny_copy / "indices" / "tiny-2022.toml"
    definition.write_text(definition.read_text("utf-8") + UNCERTAINTY, "utf-8")
    assert _run(capsys, "country", "Kor").splitlines() == [
        "Republic of Korea (KOR)",
        "",
        "Tiny index 2020 (tiny-2020): rank 2 of 3, score 14.50, posture defensive, assertive",
        "  objective    rank  score  capability  intent",
        "  -----------  ----  -----  ----------  ------",
        "  defense         2  24.00       30.00   0.800",
        "  destructive     2   5.00       25.00   0.200",
        "",
        "Tiny index 2022 (tiny-2022): rank 2 (2–2) of 4, score 37.00, posture defensive, matched "
        "(100% of draws agree); estimated values",
        "  objective       rank  score  capability  intent",
        "  -----------  -------  -----  ----------  ------",
        "  defense      1 (1–1)  72.00       80.00   0.900",
        "  destructive  3 (3–4)   2.00       20.00   0.100",
        "",
        "score, capability: 0–100; intent: 0–1; rank (low–high): the 5–95 % interval of the uncertainty "
        "analysis, where the edition declares one.",
    ]
    assert _run(capsys, "country", "prk", "--format", "csv").splitlines() == [
        "iso3,edition,year,objective,rank,rank_low,rank_high,score,capability,intent,posture",
        "PRK,tiny-2020,2020,,,,,,,0.5,",
        "PRK,tiny-2020,2020,defense,,,,,,0.1,",
        "PRK,tiny-2020,2020,destructive,,,,,,0.9,",
        "PRK,tiny-2022,2022,,3,2,4,28.0,35.0,0.55,attack-heavy",
        "PRK,tiny-2022,2022,defense,4,4,4,2.0,10.0,0.2,",
        "PRK,tiny-2022,2022,destructive,1,1,1,54.0,60.0,0.9,",
    ]
    document = json.loads(_run(capsys, "country", "PRK", "--format", "json"))
    first, second = document["editions"]
    assert (first["ranked"], first["rank"], first["posture"]) == (False, None, None)
    assert first["reason"].startswith("capability data for 1 of 3 indicators")
    assert (second["rank"], second["rank_low"], second["rank_high"]) == (3, 2, 4)
    assert second["objectives"][1] == {
        "objective": "destructive",
        "rank": 1,
        "rank_low": 1,
        "rank_high": 1,
        "score": 54.0,
        "capability": 60.0,
        "intent": 0.9,
    }


def test_unranked_country_says_why(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "country", "PRK").splitlines()
    assert out[2] == (
        "Tiny index 2020 (tiny-2020): not ranked: capability data for 1 of 3 indicators (33%); "
        "ranking needs at least 60%"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("korea", "unknown country 'korea'; did you mean KOR (Republic of Korea) or PRK (North Korea)?"),
        ("KRO", "unknown country 'KRO'; did you mean KOR (Republic of Korea)?"),
        ("South Korea", "unknown country 'South Korea'; did you mean KOR (Republic of Korea)?"),
        ("ROK", "unknown country 'ROK'; did you mean KOR (Republic of Korea)?"),
        ("Korea, Rep.", "unknown country 'Korea, Rep.'; did you mean KOR (Republic of Korea)?"),
        ("Japan", "unknown country 'Japan'; did you mean JPN (Japan)?"),
        (
            "XYZ",
            "unknown country 'XYZ': give an ISO 3166-1 alpha-3 code from data/countries.csv, such as USA",
        ),
        (
            "\x1b[2J",
            "unknown country '\\x1b[2J': give an ISO 3166-1 alpha-3 code from data/countries.csv, such as USA",
        ),
    ],
)
def test_unknown_country_is_one_line_and_exit_2(
    query: str, message: str, tiny_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "country", query, code=2) == f"cyberpower: {message}\n"


def test_suggested_names_are_printable() -> None:
    countries = pd.DataFrame(
        {"name": ["Evil\x1b[31mland"], "short_name": ["Evil"]}, index=pd.Index(["EVL"], name="iso3")
    )
    with pytest.raises(UnknownCountry) as caught:
        find_country(countries, "evil")
    assert str(caught.value) == "unknown country 'evil'; did you mean EVL (Evil\\x1b[31mland)?"
    assert find_country(countries, " evl ") == "EVL"


def test_diff_between_editions(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "diff", "tiny-2020", "tiny-2022").splitlines() == [
        "tiny-2020 → tiny-2022: 4 countries in both, 4 changed, 0 unchanged",
        "",
        "rank  was  moved  iso3  country            score    was  change  largest objective-score changes",
        "----  ---  -----  ----  -----------------  -----  -----  ------  " + "-" * 59,
        "   4    3     -1  JPN   Japan              21.50   8.75  +12.75  defense +27.00; destructive -1.50",
        "   2    2      0  KOR   Republic of Korea  37.00  14.50  +22.50  defense +48.00; destructive -3.00",
        "   1    1      0  USA   United States      45.00  50.00   -5.00  defense -5.00; destructive -5.00",
        "   3    –      –  PRK   North Korea        28.00      –       –  "
        "destructive 54.00 (none before); defense 2.00 (none before)",
        "",
        "moved: places up (+) or down (−); score, change: 0–100 points.",
    ]
    assert _run(capsys, "diff", "tiny-2020", "tiny-2022", "--format", "csv").splitlines()[:2] == [
        "iso3,country,rank_before,rank_after,rank_change,score_before,score_after,score_change,in,drivers",
        "JPN,Japan,3,4,-1,8.75,21.5,12.75,both,defense +27.00; destructive -1.50",
    ]


def test_diff_across_two_data_folders(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reviewing an edit: the same edition in a copy of the data, with one value changed."""
    shutil.copytree(tiny_copy / "data", tiny_copy / "edited")
    intents = tiny_copy / "edited" / "tiny-2020" / "intents.csv"
    intents.write_text(intents.read_text("utf-8").replace("KOR,defense,0.8,", "KOR,defense,0.4,"), "utf-8")
    assert _run(capsys, "diff", "tiny-2020", "--data-b", "edited").splitlines() == [
        "data/tiny-2020 → edited/tiny-2020: 4 countries in both, 2 changed, 2 unchanged",
        "",
        "rank  was  moved  iso3  country            score    was  change  largest objective-score changes",
        "----  ---  -----  ----  -----------------  -----  -----  ------  -------------------------------",
        "   3    2     -1  KOR   Republic of Korea   8.50  14.50   -6.00  defense -12.00",
        "   2    3     +1  JPN   Japan               8.75   8.75   +0.00  none: others moved past it",
        "",
        "moved: places up (+) or down (−); score, change: 0–100 points.",
    ]
    document = json.loads(_run(capsys, "diff", "tiny-2020", "--data-b", "edited", "--format", "json"))
    assert (document["before"], document["after"]) == ("data/tiny-2020", "edited/tiny-2020")
    assert document["changes"][0]["drivers"] == ["defense -12.00"]
    assert _run(capsys, "diff", "tiny-2020", "--data-b", "data") == (
        "data/tiny-2020 → data/tiny-2020: 4 countries in both, 0 changed, 4 unchanged\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["diff", "tiny-2020"],
            "cyberpower: diff needs two editions, or --data-b/--indices-b to compare one edition in two "
            "data folders",
        ),
        (
            ["diff", "tiny-2020", "tiny-2099"],
            "cyberpower: unknown edition 'tiny-2099' in data (editions: tiny-2020, tiny-2022)",
        ),
    ],
)
def test_diff_mistakes_are_exit_2(
    args: list[str], message: str, tiny_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, *args, code=2) == message + "\n"
