"""Import the NCPI 2020 modelling data into the project's tidy CSVs.

Reads the authors' `CPI_2020.csv` (one wide row per country) and writes, in long format:

- `data/ncpi-2020/indicators.csv`: iso3, indicator, value, basis, source
- `data/ncpi-2020/intents.csv`:    iso3, objective, intent, basis, source

Only the indicators the published model uses (the catalogue in `indices/ncpi-2020.toml`) are kept.
North Korea's capability row is not measured: the authors filled it with zero placeholders, so a zero
in that row is recorded as missing (empty value, basis `missing`); its non-zero values and its intents
are kept as published.

Usage: python scripts/import_ncpi_2020.py [PATH/TO/CPI_2020.csv] [--out DIR]   (DIR: data/ncpi-2020)
"""

from __future__ import annotations

import csv
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "ncpi-2020" / "CPI_2020.csv"
SOURCE_ID = "ncpi-2020-data"

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


def _number(text: str) -> str:
    """The value as the shortest exact decimal text (no float noise such as 0.30000000000000004)."""
    value = float(text)
    return str(int(value)) if value.is_integer() else repr(value)


def main(argv: list[str]) -> int:
    out = ROOT / "data" / "ncpi-2020"
    if "--out" in argv:
        at = argv.index("--out")
        out, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2 :]
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    catalogue = tomllib.loads((ROOT / "indices" / "ncpi-2020.toml").read_text("utf-8"))["indicators"]
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

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

    out.mkdir(parents=True, exist_ok=True)
    _write(out / "indicators.csv", ["iso3", "indicator", "value", "basis", "source"], indicator_rows)
    _write(out / "intents.csv", ["iso3", "objective", "intent", "basis", "source"], intent_rows)
    print(f"wrote {len(indicator_rows)} indicator values and {len(intent_rows)} intents to {out}")
    return 0


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
