"""The downloads: the public data API of PRODUCT.md, written by one function for the CLI and the site.

- `downloads/<edition>/overall.csv` and `objectives.csv`: the columns declared in `columns`, in its
  order and with its rounding.
- `downloads/<edition>/results.json`: both, with the edition's metadata and sources.

Text cells that a spreadsheet would run as a formula are neutralised with a leading apostrophe; numbers
are untouched.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from scoring.method import change
from scoring.method.engine import Results
from scoring.outputs.columns import OBJECTIVES, OVERALL, Column

# what makes a spreadsheet read a cell as a formula: the ASCII signs, and their full-width (U+FF1D,
# U+FF0B, U+FF0D, U+FF20) and small (U+FE66, U+FE62, U+FE63, U+FE6B) forms, which some spreadsheets
# fold to ASCII before parsing
FORMULA_STARTS = (
    *("=", "+", "-", "@", "\t", "\r"),
    *("\uff1d", "\uff0b", "\uff0d", "\uff20"),
    *("\ufe66", "\ufe62", "\ufe63", "\ufe6b"),
)


def overall_table(results: Results, movement: pd.DataFrame | None = None) -> pd.DataFrame:
    """The overall results in download form: rounded, contract columns, best first; with the change
    since the previous edition (`rank_change`, `score_change`) as the last columns when given."""
    frame = results.overall.reset_index()
    columns = [c for c in OVERALL.columns if movement is not None or not c.with_previous]
    if movement is not None:
        frame = frame.join(movement[[c.name for c in columns if c.with_previous]], on="iso3")
    return _download_form(frame, columns, frame["ranked"])


def objectives_table(results: Results) -> pd.DataFrame:
    """The per-objective results in download form."""
    frame = results.objectives
    return _download_form(frame, OBJECTIVES.columns, frame["iso3"].map(results.overall["ranked"]))


def _download_form(frame: pd.DataFrame, columns: Sequence[Column], ranked: pd.Series) -> pd.DataFrame:
    """The declared columns in order, rounded, and emptied where they hold only for a ranked country."""
    out = frame[[c.name for c in columns]].copy()
    for column in columns:
        if column.ranked_only:
            out[column.name] = out[column.name].where(ranked, None)
        if column.decimals is not None:
            out[column.name] = out[column.name].round(column.decimals)
    return out


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text, `\\n` line ends, empty cells for missing values, formula-like text neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(_neutralise)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, lineterminator="\n", na_rep="")
    return buffer.getvalue()


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def results_document(
    results: Results,
    sources: pd.DataFrame,
    extra: dict[str, Any] | None = None,
    movement: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The edition's results as one JSON-ready document, with metadata and sources."""
    spec = results.spec
    return {
        "edition": {
            "id": spec.id,
            "title": spec.title,
            "year": spec.year,
            "summary": spec.summary,
            "data_level": spec.data_level,
            "estimated": results.estimated,
            "objectives": [{"id": o.id, "name": o.name, "weight": o.weight} for o in spec.objectives],
        },
        "sources": [
            _clean({"id": s, **sources.loc[s].drop("line", errors="ignore").to_dict()})
            for s in spec.sources
            if s in sources.index
        ],
        "overall": [_clean(r) for r in overall_table(results, movement).to_dict(orient="records")],
        "objectives": [_clean(r) for r in objectives_table(results).to_dict(orient="records")],
        **(extra or {}),
    }


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out[key] = None
        elif hasattr(value, "item"):  # numpy scalar
            out[key] = value.item()
        else:
            out[key] = value
    return out


def download_files(
    results: dict[str, Results], sources: pd.DataFrame, extra: dict[str, Any] | None = None
) -> dict[str, bytes]:
    """Every edition's three downloads, `<edition>/<file>` -> content; an edition that has a previous
    one also gets `rank_change` and `score_change` columns."""
    files: dict[str, bytes] = {}
    for edition_id, result in results.items():
        previous = change.previous_of(results, edition_id)
        moved = change.movement(previous, result) if previous else None
        files[f"{edition_id}/{OVERALL.name}"] = to_csv(overall_table(result, moved)).encode()
        files[f"{edition_id}/{OBJECTIVES.name}"] = to_csv(objectives_table(result)).encode()
        files[f"{edition_id}/results.json"] = to_json(
            results_document(result, sources, extra, moved)
        ).encode()
    return files


def write_downloads(
    results: dict[str, Results], sources: pd.DataFrame, out_dir: Path, extra: dict[str, Any] | None = None
) -> list[Path]:
    """Write every edition's downloads under `out_dir/<edition>/`; return the paths written."""
    written = []
    for name, content in download_files(results, sources, extra).items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written
