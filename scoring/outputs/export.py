"""The downloads: the public data API of PRODUCT.md, written by one function for the CLI and the site.

- `downloads/<edition>/overall.csv`, `objectives.csv`, `indicators.csv`, `weights.csv` and
  `audit.csv`: the columns declared in `columns`, in its order and with its rounding (`audit.csv` when
  the edition's audit is given, as the site always does).
- `downloads/<edition>/results.json`: all of them, with the edition's metadata (including what the
  uncertainty analysis behind `rank_low` and `rank_high` varied) and sources.

Text cells that a spreadsheet would run as a formula are neutralised with a leading apostrophe; numbers
are untouched.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.method import audit, change, explain, weights
from scoring.method.engine import Results
from scoring.method.memo import Same, kept
from scoring.outputs.columns import AUDIT, INDICATORS, OBJECTIVES, OVERALL, WEIGHTS, Column, Download

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


def indicators_table(results: Results) -> pd.DataFrame:
    """Each listed country's raw indicator values with their scaled value, basis and source; no rows for
    an edition given per objective."""
    frame = explain.indicator_values(results)
    if frame is None:
        return _empty(INDICATORS)
    return _download_form(frame, INDICATORS.columns, frame["iso3"].map(results.overall["ranked"]))


def weights_table(results: Results) -> pd.DataFrame:
    """The edition's weights with each indicator's effective weight (summing to 1)."""
    frame = weights.effective_weights(results.spec)
    return _download_form(frame, WEIGHTS.columns, pd.Series(True, index=frame.index))


def audit_table(edition_audit: audit.Audit) -> pd.DataFrame:
    """The audit's findings, one figure a row."""
    frame = audit.findings(edition_audit)
    frame["n"] = frame["n"].astype("Int64")
    frame["max_rank_change"] = frame["max_rank_change"].astype("Int64")
    return _download_form(frame, AUDIT.columns, pd.Series(True, index=frame.index))


def _empty(download: Download) -> pd.DataFrame:
    return pd.DataFrame(columns=list(download.names))


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
    """CSV text, `\\n` line ends, empty cells for missing values, formula-like text neutralised.

    What pandas' `to_csv` writes, cell for cell (through the same `csv` writer), without its per-frame
    cost (a chart's table is a few rows, and a build writes ~250 of them): the usual kinds of column are
    written here, any other frame by pandas."""
    columns = [_csv_cells(frame.iloc[:, k]) for k in range(frame.shape[1])]
    if not columns or any(cells is None for cells in columns) or isinstance(frame.columns, pd.MultiIndex):
        return _pandas_csv(frame)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(name) for name in frame.columns])
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue()


def _csv_cells(column: pd.Series) -> list[str] | None:
    """A column's cells as pandas writes them (None for a kind left to pandas): a number as Python
    prints it, a missing value (None, NaN, NA) empty, text neutralised."""
    dtype = column.dtype
    numpy = isinstance(dtype, np.dtype) and (dtype.kind in "iubO" or dtype == np.float64)
    if not numpy and str(dtype) not in _NULLABLE:  # float32 prints otherwise, for one
        return None
    # numbers as Python prints them; but pandas may convert a column of objects that holds numbers (0 and
    # 0.0 both print 0.0), so such a column is left to it
    numbers: tuple[type, ...] = () if dtype == np.dtype(object) else (int, float, bool)
    cells = []
    for value in column.tolist():
        if value is None or value is pd.NA or (type(value) is float and math.isnan(value)):
            cells.append("")
        elif type(value) is str:
            cells.append(str(_neutralise(value)))
        elif type(value) in numbers:
            cells.append(str(value))
        else:
            return None
    return cells


_NULLABLE = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "boolean"}


def _pandas_csv(frame: pd.DataFrame) -> str:
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
    edition_audit: audit.Audit | None = None,
) -> dict[str, Any]:
    """The edition's results as one JSON-ready document, with metadata and sources (and the audit's
    findings when given)."""
    spec = results.spec
    return {
        "edition": {
            "id": spec.id,
            "title": spec.title,
            "year": spec.year,
            "summary": spec.summary,
            "data_level": spec.data_level,
            "estimated": results.estimated,
            "assessed": results.assessed,
            "objectives": [{"id": o.id, "name": o.name, "weight": o.weight} for o in spec.objectives],
            "uncertainty": _settings(results),
        },
        "sources": [
            _clean({"id": s, **sources.loc[s].drop("line", errors="ignore").to_dict()})
            for s in spec.sources
            if s in sources.index
        ],
        "overall": [_clean(r) for r in overall_table(results, movement).to_dict(orient="records")],
        "objectives": [_clean(r) for r in objectives_table(results).to_dict(orient="records")],
        "indicators": _records(indicators_table(results)),
        "weights": _records(weights_table(results)),
        **({"audit": _records(audit_table(edition_audit))} if edition_audit is not None else {}),
        **(extra or {}),
    }


def _settings(results: Results) -> dict[str, Any] | None:
    """What the uncertainty analysis behind rank_low and rank_high varied; None when it did not run."""
    if results.intervals is None:
        return None
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in dataclasses.asdict(results.intervals.settings).items()
    }


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(r) for r in frame.to_dict(orient="records")]


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
    results: dict[str, Results],
    sources: pd.DataFrame,
    extra: dict[str, Any] | None = None,
    audits: dict[str, audit.Audit] | None = None,
) -> dict[str, bytes]:
    """Every edition's downloads, `<edition>/<file>` -> content; an edition that has a previous one also
    gets `rank_change` and `score_change` columns; `audit.csv` for the editions `audits` has."""
    files: dict[str, bytes] = {}
    for edition_id, result in results.items():
        previous = change.previous_of(results, edition_id)
        edition_audit = (audits or {}).get(edition_id)
        made_of = (Same(previous), sources.to_dict("split"), Same(edition_audit))
        make = functools.partial(_edition_files, result, previous, sources, edition_audit)
        tables, document = kept(result, ("downloads", ""), made_of, make)
        files.update({f"{edition_id}/{name}": content for name, content in tables.items()})
        files[f"{edition_id}/results.json"] = to_json({**document, **(extra or {})}).encode()
    return files


def _edition_files(
    result: Results, previous: Results | None, sources: pd.DataFrame, edition_audit: audit.Audit | None
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """One edition's CSV downloads, and its results document but for what the caller adds."""
    moved = change.movement(previous, result) if previous else None
    tables = {
        OVERALL.name: to_csv(overall_table(result, moved)).encode(),
        OBJECTIVES.name: to_csv(objectives_table(result)).encode(),
        INDICATORS.name: to_csv(indicators_table(result)).encode(),
        WEIGHTS.name: to_csv(weights_table(result)).encode(),
    }
    if edition_audit is not None:
        tables[AUDIT.name] = to_csv(audit_table(edition_audit)).encode()
    return tables, results_document(result, sources, None, moved, edition_audit)


def write_downloads(
    results: dict[str, Results],
    sources: pd.DataFrame,
    out_dir: Path,
    extra: dict[str, Any] | None = None,
    audits: dict[str, audit.Audit] | None = None,
) -> list[Path]:
    """Write every edition's downloads under `out_dir/<edition>/`; return the paths written."""
    written = []
    for name, content in download_files(results, sources, extra, audits).items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written
