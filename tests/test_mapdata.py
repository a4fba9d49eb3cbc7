"""The map's small-country positions: read like the data, every problem named with its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.inputs import mapdata
from scoring.inputs.errors import DataError

from .conftest import ROOT


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "small-countries.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        mapdata.load_dots(path)
    return [str(p).replace(str(path), "dots.csv") for p in raised.value.problems]


def test_the_shipped_positions_load() -> None:
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    assert dots.to_dict("records") == [{"iso3": "SGP", "latitude": 1.29, "longitude": 103.85}]


def test_a_header_only_file_means_no_dots(tmp_path: Path) -> None:
    path = tmp_path / "small-countries.csv"
    path.write_text("iso3,latitude,longitude,note\n", encoding="utf-8")
    assert mapdata.load_dots(path).empty


def test_bad_rows_are_reported_with_line_and_column(tmp_path: Path) -> None:
    text = "iso3,latitude,longitude,note\nsgp,1.29,103.85,x\nMLT,,14.5,x\nBHR,26.1,250,x\n"
    assert problems(tmp_path, text) == [
        "dots.csv:2:1: 'sgp' is not an ISO 3166-1 alpha-3 country code; hint: for example KOR, PRK, USA",
        "dots.csv:3:2: latitude '' is not a number from -90 to 90",
        "dots.csv:4:3: longitude '250' is not a number from -180 to 180",
    ]


def test_a_missing_column_or_an_empty_file_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, "iso3,lat,longitude\nSGP,1.29,103.85\n") == [
        "dots.csv:1:1: missing column(s): latitude; hint: columns: iso3, latitude, longitude"
    ]
    assert problems(tmp_path, "") == [
        "dots.csv:1:1: the file is empty; hint: a CSV starts with a header line of column names"
    ]
