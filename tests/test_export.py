"""The downloads contract of PRODUCT.md and the `score` command's formats."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cli import main
from scoring.inputs.load import Project
from scoring.method.engine import Results
from scoring.outputs import export
from scoring.outputs.columns import AUDIT, DOWNLOADS, INDICATORS, OBJECTIVES, OVERALL, TERMINAL, Download

from .conftest import ROOT

# PRODUCT.md, "Downloads": the columns each file starts with. Written out here once; every other test
# compares the files with the declaration in scoring/outputs/columns.py, which must start with these.
CONTRACT = {
    "overall.csv": "iso3,country,rank,score,capability,intent,offense,defense,posture",
    "objectives.csv": "iso3,objective,capability,intent,score,rank",
    "indicators.csv": "iso3,indicator,value,normalised,basis,source",
    "weights.csv": "objective,indicator,direction,weight,effective_weight",
    "audit.csv": "check,objective,indicator,other,value,n,flag,max_rank_change,most_moved",
}


@pytest.mark.parametrize("download", DOWNLOADS, ids=lambda d: d.name)
def test_declaration_starts_with_the_contract(download: Download) -> None:
    assert (",".join(download.names) + ",").startswith(CONTRACT[download.name] + ",")


def test_downloads_follow_the_contract(tmp_path: Path, project: Project, results: dict[str, Results]) -> None:
    written = export.write_downloads(results, project.sources, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"{e}/{n}"
        for e in ("ncpi-2020", "ncpi-2022")
        for n in ("indicators.csv", "objectives.csv", "overall.csv", "results.json", "weights.csv")
    ]
    with (tmp_path / "ncpi-2020" / "overall.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [c.name for c in OVERALL.columns if not c.with_previous]  # no edition before
    assert rows[0]["iso3"] == "USA" and rows[0]["rank"] == "1" and rows[0]["score"] == "50.24"
    prk = next(r for r in rows if r["iso3"] == "PRK")
    assert all(prk[c.name] == "" for c in OVERALL.columns if c.ranked_only and not c.with_previous)
    assert prk["rank"] == prk["posture"] == "" and prk["intent"] == "0.4786"  # intent is kept
    with (tmp_path / "ncpi-2020" / "objectives.csv").open(encoding="utf-8") as handle:
        prk_objectives = [r for r in csv.DictReader(handle) if r["iso3"] == "PRK"]
    assert all(r[c.name] == "" for r in prk_objectives for c in OBJECTIVES.columns if c.ranked_only)
    assert prk_objectives[0]["intent"] == "0.58"
    with (tmp_path / "ncpi-2022" / "objectives.csv").open(encoding="utf-8") as handle:
        objectives = list(csv.DictReader(handle))
    assert list(objectives[0]) == list(OBJECTIVES.names) and len(objectives) == 240
    with (tmp_path / "ncpi-2022" / "overall.csv").open(encoding="utf-8") as handle:
        latest = {r["iso3"]: r for r in csv.DictReader(handle)}
    assert list(latest["KOR"]) == list(OVERALL.names)
    assert latest["KOR"]["rank_change"] == "9" and latest["PRK"]["rank_change"] == ""
    document = json.loads((tmp_path / "ncpi-2022" / "results.json").read_text("utf-8"))
    assert document["edition"]["id"] == "ncpi-2022" and document["edition"]["estimated"] is True
    assert [s["id"] for s in document["sources"]] == ["ncpi-2022-report", "cyberpower-estimate-2022"]
    assert document["overall"][13]["iso3"] == "PRK" and document["overall"][13]["rank"] == 14
    assert document["indicators"] == [] and len(document["weights"]) == 8


def test_indicator_weight_and_audit_downloads(project: Project, results: dict[str, Results]) -> None:
    from scoring.method import audit

    audits = {
        "ncpi-2020": audit.analyse(project.editions["ncpi-2020"], project.countries, results["ncpi-2020"])
    }
    files = export.download_files(results, project.sources, None, audits)
    assert "ncpi-2022/audit.csv" not in files  # only the editions whose audit is given
    indicators = list(csv.DictReader(io.StringIO(files["ncpi-2020/indicators.csv"].decode())))
    assert list(indicators[0]) == list(INDICATORS.names) and len(indicators) == 30 * 31
    kor = next(r for r in indicators if r["iso3"] == "KOR" and r["indicator"] == "shodan")
    assert kor["value"] == "31.095" and kor["normalised"] == "0.261597" and kor["source"] == "ncpi-2020-data"
    prk = [r for r in indicators if r["iso3"] == "PRK"]
    assert all(r["normalised"] == "" for r in prk)  # no cohort to place an unranked country in
    assert files["ncpi-2022/indicators.csv"].decode() == ",".join(INDICATORS.names) + "\n"
    rows = list(csv.DictReader(io.StringIO(files["ncpi-2020/weights.csv"].decode())))
    assert sum(float(r["effective_weight"]) for r in rows) == pytest.approx(1.0, abs=1e-6)
    findings = list(csv.DictReader(io.StringIO(files["ncpi-2020/audit.csv"].decode())))
    assert list(findings[0]) == list(AUDIT.names)
    removed = {r["indicator"] or r["objective"]: r for r in findings if r["check"].startswith("remove_")}
    assert len(removed) == 31 + 7 and removed["laws"]["max_rank_change"] == "5"


def test_csv_neutralises_formulas_not_numbers() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"country": ["=HYPERLINK(1)", "+1", "-x", "@SUM", "\tx", "Korea"], "balance": [-0.5] * 6}
    )
    rows = list(csv.reader(io.StringIO(export.to_csv(frame))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(1)", "'+1", "'-x", "'@SUM", "'\tx", "Korea"]
    assert {r[1] for r in rows[1:]} == {"-0.5"}


@pytest.mark.parametrize(
    "sign", ["\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b"]
)
def test_csv_neutralises_full_width_formula_signs(sign: str) -> None:
    import pandas as pd

    frame = pd.DataFrame({"country": [f"{sign}HYPERLINK(1)", f"Korea{sign}"]})
    rows = list(csv.reader(io.StringIO(export.to_csv(frame))))
    assert [r[0] for r in rows[1:]] == [f"'{sign}HYPERLINK(1)", f"Korea{sign}"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_score_command_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "score",
        "ncpi-2022",
        "--format",
        fmt,
        "--data",
        str(ROOT / "data"),
        "--indices",
        str(ROOT / "indices"),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    if fmt == "table":
        lines = out.splitlines()
        assert lines[0] == "National Cyber Power Index 2022 (ncpi-2022): 30 ranked of 30 countries"
        assert lines[2].split() == [c.name for c in TERMINAL]
        prk = next(line for line in lines if " PRK " in line)
        assert prk.split()[0] == "14" and "attack-heavy" in prk
        kor = next(line for line in lines if " KOR " in line)
        assert kor.split()[0] == "7" and "defensive" in kor
        assert "estimates" in out
    elif fmt == "csv":
        assert out.splitlines()[0] == ",".join(OVERALL.names)
    else:
        assert json.loads(out)["overall"][0]["iso3"] == "USA"


def test_score_unknown_edition(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["score", "ncpi-1999", "--data", str(ROOT / "data"), "--indices", str(ROOT / "indices")]
    assert main(args) == 2
    assert (
        capsys.readouterr().err
        == "cyberpower: unknown edition 'ncpi-1999' (editions: ncpi-2020, ncpi-2022)\n"
    )


def test_score_csv_is_the_download(
    tmp_path: Path, project: Project, results: dict[str, Results], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "score",
        "ncpi-2022",
        "--format",
        "csv",
        "--data",
        str(ROOT / "data"),
        "--indices",
        str(ROOT / "indices"),
    ]
    assert main(args) == 0
    export.write_downloads(results, project.sources, tmp_path)
    assert capsys.readouterr().out == (tmp_path / "ncpi-2022" / "overall.csv").read_text("utf-8")


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8) | st.sampled_from(
    ["=SUM(A1)", "+1", "-x", "@a", "a,b", 'say "hi"', "two\nlines", "\r", ""]
)
_FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([-0.0, 1e16, 1.5e-7, 0.1 + 0.2])


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    length = draw(st.integers(0, 5))
    kinds = draw(
        st.lists(st.sampled_from(["float", "int", "Int64", "bool", "boolean", "text", "mixed"]), max_size=5)
    )
    columns: dict[str, object] = {}
    for n, kind in enumerate(kinds):
        name = draw(_TEXT) + f"#{n}"
        if kind == "float":
            columns[name] = pd.Series(draw(st.lists(_FLOATS, min_size=length, max_size=length)), dtype=float)
        elif kind == "int":
            columns[name] = pd.Series(
                draw(st.lists(st.integers(-(2**40), 2**40), min_size=length, max_size=length)), dtype="int64"
            )
        elif kind in ("Int64", "boolean"):
            values = st.integers(-1000, 1000) if kind == "Int64" else st.booleans()
            cells = draw(st.lists(st.none() | values, min_size=length, max_size=length))
            columns[name] = pd.array(cells, dtype=kind)
        elif kind == "bool":
            columns[name] = pd.Series(
                draw(st.lists(st.booleans(), min_size=length, max_size=length)), dtype=bool
            )
        else:
            cell = (
                _TEXT | st.none() | st.just(math.nan)
                if kind == "text"
                else _TEXT | _FLOATS | st.integers() | st.none() | st.just(pd.NA) | st.booleans()
            )
            columns[name] = pd.Series(draw(st.lists(cell, min_size=length, max_size=length)), dtype=object)
    return pd.DataFrame(columns, index=range(length))


@settings(max_examples=300, deadline=None)
@given(_frames())
def test_csv_is_what_pandas_writes(frame: pd.DataFrame) -> None:
    assert export.to_csv(frame) == export._pandas_csv(frame)
