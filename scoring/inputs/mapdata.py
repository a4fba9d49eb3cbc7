"""The world map's inputs, read at the edge of the build: the country shapes (a TopoJSON topology) and
the positions of countries too small for those shapes, drawn as dots (`site/assets/data/`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from scoring.inputs.cells import Context, check_cell, number
from scoring.inputs.csvfile import read_table
from scoring.inputs.errors import Collector, DataError, display_path
from scoring.inputs.schema import COUNTRIES

TOPOLOGY = "assets/data/countries-110m.json"  # below site/: Natural Earth 1:110m via world-atlas
SMALL_COUNTRIES = "assets/data/small-countries.csv"  # positions of countries too small for it
COORDINATES = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0)}  # degrees, the dots' columns


def load_dots(path: Path) -> pd.DataFrame:
    """Positions (iso3, latitude, longitude) of countries too small for the 1:110m map, checked like the
    data: a problem raises DataError naming the file, line and column."""
    shown = display_path(path)
    problems = Collector()
    table = read_table(path, shown, problems)
    columns = ["iso3", *COORDINATES]
    rows: list[dict[str, Any]] = []
    if table is not None and (missing := [c for c in columns if c not in table.header]):
        problems.add(
            shown, 1, 1, f"missing column(s): {', '.join(missing)}", f"columns: {', '.join(columns)}"
        )
    elif table is not None:
        iso3 = COUNTRIES.column("iso3")  # checked as countries.csv checks it
        for row in table.rows:
            cells = dict(zip(table.header, row.cells, strict=False))
            found = check_cell(iso3, cells.get("iso3", ""), cells, Context())
            if found:
                problems.add(shown, row.line, table.column("iso3"), *found)
            position = {name: number(cells.get(name, "")) for name in COORDINATES}
            for name, (low, high) in COORDINATES.items():
                value = position[name]
                if value is None or not low <= value <= high:
                    text = cells.get(name, "")
                    problems.add(
                        shown,
                        row.line,
                        table.column(name),
                        f"{name} '{text}' is not a number from {low:g} to {high:g}",
                    )
            rows.append({"iso3": cells.get("iso3", ""), **position})
    problems.raise_if_any(DataError)
    return pd.DataFrame(rows, columns=columns)


def load_topology(path: Path) -> dict[str, Any]:
    topology: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return topology
