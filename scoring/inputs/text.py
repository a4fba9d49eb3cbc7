"""What a text field of the data or a definition may contain: printable characters, within a length.

Every text reaches a page, a chart (where a form feed or an escape makes the SVG renderer abort), a
download or a terminal. So no field may hold a control character (C0 or C1) or an invisible character
that reorders text (bidi overrides and isolates, U+2028/U+2029). Names, titles and units must also read
exactly as they look: no zero-width characters. Longer prose (notes, descriptions) may keep the joiners
some scripts need (U+200C, U+200D). Only an edition's summary, shown as a paragraph of its own, may
hold line breaks; everything else is on one line (a note is a list item, a description a table cell).
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_DIRECTION = re.compile("[\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff]")
_ZERO_WIDTH_IN_PROSE = re.compile("[\u200b\u200e\u200f\u2060\ufeff]")  # joiners U+200C/D are allowed
_CONTROL_NAMES = {"\t": "a tab", "\r": "a carriage return", "\x0c": "a form feed", "\x1b": "an escape"}

NAME, PROSE, PARAGRAPH = "name", "prose", "paragraph"  # what a field holds


def text_problem(name: str, text: str, limit: int, holds: str = NAME) -> tuple[str, str] | None:
    """None when `text` may stand in the field `name`, else (message, hint).

    `holds` is NAME (names, titles, units: one line, nothing invisible), PROSE (notes and descriptions:
    one line, joiners allowed) or PARAGRAPH (one line or several); `limit` is in characters."""
    if len(text) > limit:
        return (f"{name} is {len(text)} characters long; at most {limit}", "shorten it")
    if ("\n" in text or "\r" in text) and holds != PARAGRAPH:
        return (f"{name} holds a line break", "write it on one line")
    found = _CONTROL.search(text)
    if found:
        c = found.group()
        what = _CONTROL_NAMES.get(c, "a control character")
        return (f"{name} contains {what} (U+{ord(c):04X})", "remove it; text may hold no control characters")
    found = _DIRECTION.search(text)
    if found:
        return (
            f"{name} contains an invisible direction or line control (U+{ord(found.group()):04X})",
            "remove it; it changes how the text around it is shown",
        )
    if holds == NAME and "\\" in text:
        # names and titles reach the charts' tooltip expressions, where Vega-Lite does not escape it
        return (f"{name} contains a backslash", "write it without one; a name or title may not hold \\")
    found = (_ZERO_WIDTH if holds == NAME else _ZERO_WIDTH_IN_PROSE).search(text)
    if found:
        return (
            f"{name} contains an invisible zero-width character (U+{ord(found.group()):04X})",
            "remove it; text must read as it looks",
        )
    return None
