"""The NCPI 2020 importer: the committed CSVs are exactly what the script makes from the committed raw files."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

RAW = ROOT / "data" / "ncpi-2020" / "raw"
MODEL = RAW / "CPI_2020.csv"
PUBLISHED = RAW / "CPI_scores_PublishedVersion.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_import_reproduces_committed_files(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_ncpi_2020.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    for name in ("indicators.csv", "intents.csv", "facts.csv"):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "ncpi-2020" / name).read_bytes(), name
    assert "522 published figures" in done.stdout


def test_import_reads_the_folder_it_is_given(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for source in (MODEL, PUBLISHED):
        (raw / source.name).write_bytes(source.read_bytes())
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_ncpi_2020.py"), str(raw), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "facts.csv").read_bytes() == (ROOT / "data" / "ncpi-2020" / "facts.csv").read_bytes()


def test_nothing_reads_outside_the_repository() -> None:
    for folder in ("scripts", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == Path(__file__).resolve():
                continue
            text = path.read_text("utf-8")
            assert "ROOT.parent" not in text and '"shared"' not in text, path


@pytest.fixture(scope="module")
def indicators() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["iso3"], r["indicator"]): r for r in _rows(ROOT / "data" / "ncpi-2020" / "indicators.csv")}


@pytest.fixture(scope="module")
def raw() -> dict[str, dict[str, str]]:
    return {r["country"]: r for r in _rows(MODEL)}


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
def test_spot_values_match_raw_file(indicators, raw, iso3: str, label: str, indicator: str) -> None:  # type: ignore[no-untyped-def]
    row = indicators[(iso3, indicator)]
    assert float(row["value"]) == pytest.approx(float(raw[label][indicator]), rel=1e-12)
    assert row["basis"] == "published" and row["source"] == "ncpi-2020-data"


def test_north_korea_placeholders_are_missing(indicators, raw) -> None:  # type: ignore[no-untyped-def]
    prk = {k[1]: v for k, v in indicators.items() if k[0] == "PRK"}
    missing = sorted(k for k, v in prk.items() if v["basis"] == "missing")
    assert all(prk[k]["value"] == "" for k in missing)
    assert all(float(raw["DPRK"][k]) == 0 for k in missing)  # exactly the placeholder zeros
    assert len(missing) == 18 and "laws" in missing and "CERTS" in missing


def test_intents_match_raw_file() -> None:
    intents = {
        (r["iso3"], r["objective"]): float(r["intent"])
        for r in _rows(ROOT / "data" / "ncpi-2020" / "intents.csv")
    }
    raw = {r["country"]: r for r in _rows(MODEL)}
    assert intents[("PRK", "destructive")] == float(raw["DPRK"]["intent_offense"]) == 0.58
    assert intents[("KOR", "information_control")] == float(raw["ROK"]["intent_control"]) == 0.14
    assert len(intents) == 30 * 7


def test_facts_carry_every_published_figure() -> None:
    facts = {
        (r["fact"], r["iso3"], r["objective"]): r for r in _rows(ROOT / "data" / "ncpi-2020" / "facts.csv")
    }
    published = {r["country"]: r for r in _rows(PUBLISHED)}
    assert len(facts) == 29 * (4 + 7 * 2)  # rank, score, two indices; capability and score per objective
    assert "PRK" not in {iso3 for _, iso3, _ in facts}
    # the published column names, mapped to objective ids (control -> information_control, offense -> destructive)
    assert (
        facts[("objective_capability", "KOR", "information_control")]["value"]
        == published["ROK"]["score_control"]
    )
    assert facts[("objective_score", "RUS", "destructive")]["value"] == published["Russia"]["capint_offense"]
    assert (
        facts[("overall_score", "USA", "")]["value"] == published["United States"]["score_capint"] == "50.24"
    )
    assert facts[("overall_capability", "EGY", "")]["value"] == published["Egypt"]["score_capabilities"]
    assert facts[("overall_intent", "KOR", "")]["value"] == published["ROK"]["score_intent"]
    ranks = {iso3: int(r["value"]) for (fact, iso3, _), r in facts.items() if fact == "overall_rank"}
    assert sorted(ranks.values()) == list(range(1, 30))
    assert ranks["USA"] == 1 and ranks["CHN"] == 2 and ranks["KOR"] == 16 and ranks["EGY"] == 29
    assert {r["tolerance"] for r in facts.values() if r["fact"] != "overall_rank"} == {"0.001"}
    assert {r["sources"] for r in facts.values() if r["fact"] == "overall_rank"} == {
        "ncpi-2020-report ncpi-2020-scores"
    }
