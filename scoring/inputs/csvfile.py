"""Reading one CSV file strictly: UTF-8 (BOM allowed), comma-separated, every row with a line number.

The reader never guesses: a file in another encoding (UTF-16 and Windows-1252 are named), with another
separator, with an unclosed quote or with its header repeated further down (two files pasted together)
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
        problems.add(shown, 1, 1, "the file is empty", "a CSV starts with a header line of column names")
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
    header_line = start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not cells or all(not c.strip() for c in cells):
                continue
            trimmed = tuple(c.strip() for c in cells)
            if header is None:
                header, header_line = trimmed, line
            elif [c.casefold() for c in trimmed] == [c.casefold() for c in header]:
                problems.add(
                    shown,
                    line,
                    1,
                    f"line {line} repeats the header (line {header_line})",
                    "remove it; two files pasted together keep both headers",
                )
            else:
                rows.append(Row(line, trimmed))
    except csv.Error as error:
        problems.add(
            shown,
            start,
            1,
            f"malformed CSV: {_csv_reason(error)}",
            'check for a quote (") that is opened but never closed',
        )
        return None
    if header is None:  # only blank lines
        problems.add(shown, 1, 1, "the file is empty", "a CSV starts with a header line of column names")
        return None
    return Table(shown, header, tuple(rows))


def _decode(raw: bytes, shown: str, problems: Collector) -> str | None:
    if _utf16(raw):
        problems.add(shown, 1, 1, "the file is UTF-16, not UTF-8", "save it as CSV UTF-8 (comma-separated)")
        return None
    if b"\x00" in raw:
        before = raw[: raw.index(b"\x00")]
        line, column = before.count(b"\n") + 1, len(before) - before.rfind(b"\n")
        problems.add(shown, line, column, "the file is binary, not CSV text", "export the sheet as CSV UTF-8")
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
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02X}{_as_cp1252(raw[error.start])}"
            " cannot be decoded)",
            "save it as UTF-8; it may be Latin-1 or Windows-1252",
        )
        return None


def _utf16(raw: bytes) -> bool:
    """UTF-16 (what Excel's "Unicode text" writes): a byte-order mark, or text whose every other byte is
    0 (the high byte of ASCII characters, little- or big-endian)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:4096]
    if len(sample) < 4:
        return False
    for zeros, text in ((sample[1::2], sample[0::2]), (sample[0::2], sample[1::2])):
        if zeros.count(0) > 0.7 * len(zeros) and text.count(0) < 0.1 * len(text):
            return True
    return False


def _as_cp1252(byte: int) -> str:
    try:
        return f", '{bytes([byte]).decode('cp1252')}' in Windows-1252,"
    except UnicodeDecodeError:
        return ""


def _csv_reason(error: csv.Error) -> str:
    reason = str(error)
    if "unexpected end of data" in reason or "EOF" in reason:
        return "a quoted field is never closed"
    return reason
