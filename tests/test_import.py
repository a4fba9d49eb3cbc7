"""The NCPI 2020 importer: the committed CSVs are exactly what the script makes from the reference file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REFERENCE, ROOT

pytestmark = pytest.mark.reference

RAW = REFERENCE / "ncpi-2020" / "CPI_2020.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_import_reproduces_committed_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_ncpi_2020.py"), str(RAW), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in ("indicators.csv", "intents.csv"):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "ncpi-2020" / name).read_bytes()


@pytest.fixture(scope="module")
def indicators() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["iso3"], r["indicator"]): r for r in _rows(ROOT / "data" / "ncpi-2020" / "indicators.csv")}


@pytest.fixture(scope="module")
def raw() -> dict[str, dict[str, str]]:
    return {r["country"]: r for r in _rows(RAW)}


@pytest.mark.parametrize(
    ("iso3", "label", "indicator"),
    [
        ("KOR", "ROK", "human_capital"),
        ("USA", "United States", "cybermil_people"),
        ("CHN", "China", "patent_app_capita"),
        ("EST", "Estonia", "shodan"),
        ("GBR", "United Kingdom", "softpower"),
        ("PRK", "DPRK", "cybermil_people"),
        ("PRK", "DPRK", "attack_intelligence"),
    ],
)
def test_spot_values_match_reference(indicators, raw, iso3: str, label: str, indicator: str) -> None:  # type: ignore[no-untyped-def]
    row = indicators[(iso3, indicator)]
    assert float(row["value"]) == pytest.approx(float(raw[label][indicator]), rel=1e-12)
    assert row["basis"] == "published" and row["source"] == "ncpi-2020-data"


def test_north_korea_placeholders_are_missing(indicators, raw) -> None:  # type: ignore[no-untyped-def]
    prk = {k[1]: v for k, v in indicators.items() if k[0] == "PRK"}
    missing = sorted(k for k, v in prk.items() if v["basis"] == "missing")
    assert all(prk[k]["value"] == "" for k in missing)
    assert all(float(raw["DPRK"][k]) == 0 for k in missing)  # exactly the placeholder zeros
    assert len(missing) == 18 and "laws" in missing and "CERTS" in missing


def test_intents_match_reference() -> None:
    intents = {
        (r["iso3"], r["objective"]): float(r["intent"])
        for r in _rows(ROOT / "data" / "ncpi-2020" / "intents.csv")
    }
    raw = {r["country"]: r for r in _rows(RAW)}
    assert intents[("PRK", "destructive")] == float(raw["DPRK"]["intent_offense"]) == 0.58
    assert intents[("KOR", "information_control")] == float(raw["ROK"]["intent_control"]) == 0.14
    assert len(intents) == 30 * 7
