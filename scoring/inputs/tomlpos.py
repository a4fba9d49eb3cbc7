"""Where keys stand in a TOML file, so that a definition error can name its line and column.

`tomllib` parses but forgets positions; this scanner reads the same text line by line and records the
position of every table header, every `key = value` and every key inside a one-line inline table. It
understands the subset of TOML the index definitions use; anything it cannot place falls back to the
nearest enclosing table it can.
"""

from __future__ import annotations

import re

KeyPath = tuple[str, ...]

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^(\s*)("[^"]*"|[A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=')
_INLINE_KEY = re.compile(r'[{,]\s*("[^"]*"|[A-Za-z0-9_\-]+)\s*=')


def _split(dotted: str) -> KeyPath:
    return tuple(part.strip().strip('"') for part in dotted.split("."))


def positions(text: str) -> dict[KeyPath, tuple[int, int]]:
    """Map each key path found in `text` to its 1-based (line, column)."""
    found: dict[KeyPath, tuple[int, int]] = {}
    table: KeyPath = ()
    depth = 0  # open brackets of a multi-line array
    for number, line in enumerate(text.splitlines(), start=1):
        if depth:
            depth += line.count("[") - line.count("]")
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            table = _split(header.group(1))
            found.setdefault(table, (number, line.index("[") + 1))
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = table + _split(key.group(2))
        found.setdefault(path, (number, len(key.group(1)) + 1))
        rest = line[key.end() :]
        if rest.lstrip().startswith("{"):
            offset = key.end()
            for inner in _INLINE_KEY.finditer(rest):
                found.setdefault((*path, inner.group(1).strip('"')), (number, offset + inner.start(1) + 1))
        depth = max(0, rest.count("[") - rest.count("]"))
    return found


def locate(found: dict[KeyPath, tuple[int, int]], path: KeyPath) -> tuple[int, int]:
    """The position of `path`, or of its nearest enclosing key that was found; (1, 0) at worst."""
    for end in range(len(path), 0, -1):
        if path[:end] in found:
            return found[path[:end]]
    return (1, 0)
