"""Import the NCPI 2020 modelling data into the project's tidy CSVs.

Reads the authors' two files in `data/ncpi-2020/raw/` (one wide row per country each) and writes, in
long format:

- `data/ncpi-2020/indicators.csv`: iso3, indicator, value, basis, source      (from `CPI_2020.csv`)
- `data/ncpi-2020/intents.csv`:    iso3, objective, intent, basis, source     (from `CPI_2020.csv`)
- `data/ncpi-2020/facts.csv`:      fact, iso3, objective, value, tolerance, sources, other, edition
                                   (from `CPI_scores_PublishedVersion.csv`)

Only the indicators the published model uses (the catalogue in `indices/ncpi-2020.toml`) are kept.
North Korea's capability row is not measured: the authors filled it with zero placeholders, so a zero
in that row is recorded as missing (empty value, basis `missing`); its non-zero values and its intents
are kept as published.

The facts are every figure the published file gives for the 29 ranked countries: the overall rank (its
order by overall score), the overall score, the capability and intent indices, and per objective the
capability and the score. The file rounds to 3 decimals, so a computed figure agrees when it is within
one unit of that last place (TOLERANCE).

Usage: python scripts/import_ncpi_2020.py [RAW_DIR] [--out DIR]   (RAW_DIR: data/ncpi-2020/raw,
DIR: data/ncpi-2020)
"""

from __future__ import annotations

import csv
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = "ncpi-2020"  # named in every row of facts.csv: the figures belong to this edition only
DEFAULT_RAW = ROOT / "data" / EDITION / "raw"
MODEL_FILE = "CPI_2020.csv"  # the authors' raw indicators and intents
SCORES_FILE = "CPI_scores_PublishedVersion.csv"  # the authors' computed scores, as published
SOURCE_ID = "ncpi-2020-data"
RANK_SOURCES = "ncpi-2020-report ncpi-2020-scores"  # the report publishes the order of these scores
SCORES_SOURCE = "ncpi-2020-scores"
TOLERANCE = "0.001"  # one unit in the published file's last decimal place

# The authors' country labels, mapped to ISO 3166-1 alpha-3.
ISO3 = {
    "Australia": "AUS",
    "Brazil": "BRA",
    "Canada": "CAN",
    "China": "CHN",
    "DPRK": "PRK",
    "Egypt": "EGY",
    "Estonia": "EST",
    "France": "FRA",
    "Germany": "DEU",
    "India": "IND",
    "Iran": "IRN",
    "Israel": "ISR",
    "Italy": "ITA",
    "Japan": "JPN",
    "Lithuania": "LTU",
    "Malaysia": "MYS",
    "Netherlands": "NLD",
    "New Zealand": "NZL",
    "ROK": "KOR",
    "Russia": "RUS",
    "Saudi Arabia": "SAU",
    "Singapore": "SGP",
    "Spain": "ESP",
    "Sweden": "SWE",
    "Switzerland": "CHE",
    "Turkey": "TUR",
    "Ukraine": "UKR",
    "United Kingdom": "GBR",
    "United States": "USA",
    "Vietnam": "VNM",
}
# The authors' intent columns, mapped to objective ids.
INTENTS = {
    "intent_surveillance": "surveillance",
    "intent_defense": "defense",
    "intent_control": "information_control",
    "intent_intelligence": "intelligence",
    "intent_commercial": "commercial",
    "intent_offense": "destructive",
    "intent_norms": "norms",
}
UNMEASURED = {"PRK"}  # countries whose zero capability values are placeholders
# The published file's figures per country, mapped to facts (fact kind, column).
OVERALL_FACTS = (
    ("overall_score", "score_capint"),
    ("overall_capability", "score_capabilities"),
    ("overall_intent", "score_intent"),
)
# Per objective: capability is `score_<name>`, score is `capint_<name>`, <name> as in the intent column.
OBJECTIVE_FACTS = (("objective_capability", "score_"), ("objective_score", "capint_"))


def _number(text: str) -> str:
    """The value as the shortest exact decimal text (no float noise such as 0.30000000000000004)."""
    value = float(text)
    return str(int(value)) if value.is_integer() else repr(value)


def main(argv: list[str]) -> int:
    out = ROOT / "data" / EDITION
    if "--out" in argv:
        at = argv.index("--out")
        out, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2 :]
    folder = Path(argv[0]) if argv else DEFAULT_RAW
    catalogue = tomllib.loads((ROOT / "indices" / "ncpi-2020.toml").read_text("utf-8"))["indicators"]
    rows = _read(folder / MODEL_FILE)

    indicator_rows, intent_rows = [], []
    for row in sorted(rows, key=lambda r: ISO3[r["country"]]):
        iso3 = ISO3[row["country"]]
        for indicator in catalogue:
            raw = row[indicator].strip()
            if iso3 in UNMEASURED and (raw in ("", "NA") or float(raw) == 0):
                indicator_rows.append([iso3, indicator, "", "missing", SOURCE_ID])
            else:
                indicator_rows.append([iso3, indicator, _number(raw), "published", SOURCE_ID])
        for column, objective in INTENTS.items():
            intent_rows.append([iso3, objective, _number(row[column]), "published", SOURCE_ID])

    fact_rows = _facts(_read(folder / SCORES_FILE))

    out.mkdir(parents=True, exist_ok=True)
    _write(out / "indicators.csv", ["iso3", "indicator", "value", "basis", "source"], indicator_rows)
    _write(out / "intents.csv", ["iso3", "objective", "intent", "basis", "source"], intent_rows)
    _write(
        out / "facts.csv",
        ["fact", "iso3", "objective", "value", "tolerance", "sources", "other", "edition"],
        [[*row, EDITION] for row in fact_rows],
    )
    print(
        f"wrote {len(indicator_rows)} indicator values, {len(intent_rows)} intents "
        f"and {len(fact_rows)} published figures to {out}"
    )
    return 0


def _facts(published: list[dict[str, str]]) -> list[list[str]]:
    """Every published figure, country by country in rank order; the rank is the order of the scores."""
    ordered = sorted(published, key=lambda r: -float(r["score_capint"]))
    scores = [float(r["score_capint"]) for r in ordered]
    if len(set(scores)) < len(scores):
        raise SystemExit(f"{SCORES_FILE}: tied overall scores; the published order is ambiguous")
    rows = []
    for rank, row in enumerate(ordered, start=1):
        iso3 = ISO3[row["country"]]
        rows.append(["overall_rank", iso3, "", str(rank), "", RANK_SOURCES, ""])
        for fact, column in OVERALL_FACTS:
            rows.append([fact, iso3, "", _number(row[column]), TOLERANCE, SCORES_SOURCE, ""])
        for intent_column, objective in INTENTS.items():
            name = intent_column.removeprefix("intent_")
            for fact, prefix in OBJECTIVE_FACTS:
                rows.append(
                    [fact, iso3, objective, _number(row[prefix + name]), TOLERANCE, SCORES_SOURCE, ""]
                )
    return rows


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
