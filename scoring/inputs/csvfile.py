"""Reading one CSV file strictly: UTF-8 (BOM allowed), comma-separated, every row with a line number.

The reader never guesses: a file in another encoding, with another separator or with an unclosed quote
is reported with its line and column, so an analyst can fix it in any editor.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from scoring.inputs.errors import Collector
from scoring.inputs.files import CSV_MAX_BYTES, read_limited


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based line in the file and its cells, whitespace-trimmed."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A CSV file as read: where it is shown from, its header and its rows."""

    path: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    def column(self, name: str) -> int:
        """1-based column number of a header name."""
        return self.header.index(name) + 1


def read_table(path: Path, shown: str, problems: Collector, roots: tuple[Path, ...] = ()) -> Table | None:
    """Read `path` (reported as `shown`); on a problem that stops reading, record it and return None.

    A link is followed only into `roots` (see `files.read_limited`); at most `CSV_MAX_BYTES` are read."""
    raw = read_limited(path, shown, CSV_MAX_BYTES, problems, roots)
    if raw is None:
        return None
    text = _decode(raw, shown, problems)
    if text is None:
        return None
    if not text.strip():
        problems.add(shown, 1, 0, "the file is empty", "a CSV starts with a header line of column names")
        return None

    first_line = text.splitlines()[0]
    for separator, name in ((";", "';'"), ("\t", "tabs")):
        if separator in first_line and "," not in first_line:
            problems.add(
                shown,
                1,
                first_line.index(separator) + 1,
                f"the file is separated by {name}, not ','",
                "save it as comma-separated CSV (in a spreadsheet: CSV UTF-8, comma)",
            )
            return None

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    header: tuple[str, ...] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not cells or all(not c.strip() for c in cells):
                continue
            trimmed = tuple(c.strip() for c in cells)
            if header is None:
                header = trimmed
            else:
                rows.append(Row(line, trimmed))
    except csv.Error as error:
        problems.add(
            shown,
            start,
            0,
            f"malformed CSV: {_csv_reason(error)}",
            'check for a quote (") that is opened but never closed',
        )
        return None
    if header is None:  # only blank lines
        problems.add(shown, 1, 0, "the file is empty", "a CSV starts with a header line of column names")
        return None
    return Table(shown, header, tuple(rows))


def _decode(raw: bytes, shown: str, problems: Collector) -> str | None:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.add(shown, line, 0, "the file is binary, not CSV text", "export the sheet as CSV UTF-8")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        problems.add(
            shown,
            line,
            column,
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02X} cannot be decoded)",
            "save it as UTF-8; it may be Latin-1 or Windows-1252",
        )
        return None


def _csv_reason(error: csv.Error) -> str:
    reason = str(error)
    if "unexpected end of data" in reason or "EOF" in reason:
        return "a quoted field is never closed"
    return reason
