"""Text for pages: escaping that keeps data inert, numbers, ordinals and the Jinja environment.

Everything that comes from a CSV or a definition is text, never markup: `escape` turns it into HTML
entities for every character that HTML or Markdown could act on, so a country named
`[x](javascript:...)` or `<script>` shows exactly as typed. Only values wrapped in `Markup` by our own
code (chart JSON, generated HTML) pass through unchanged.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

# HTML's five plus every ASCII character that starts Markdown, attr_list or pymdownx syntax
_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-!|~:=^$%@"}


def escape(value: object) -> Markup:
    """`value` as inert text for a Markdown page (safe in HTML text and attributes too)."""
    if isinstance(value, Markup):
        return value
    return Markup("".join(_ENTITIES.get(c, c) for c in str(value)))


def _missing(value: object) -> bool:
    return value is None or value is _NA or (isinstance(value, float) and math.isnan(value))


def number(value: object, digits: int = 2, signed: bool = False) -> str:
    """A number with fixed decimals, or an en dash when missing."""
    if _missing(value):
        return "–"
    return f"{float(value):+.{digits}f}" if signed else f"{float(value):.{digits}f}"  # type: ignore[arg-type]


def ordinal(value: object) -> str:
    """1 → 1st, 2 → 2nd, 14 → 14th; an en dash when missing."""
    if _missing(value):
        return "–"
    n = int(value)  # type: ignore[call-overload]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def href(value: object) -> Markup:
    """An external http(s) address for a Markdown link, or `#` for anything else (javascript:, data:...)."""
    text = str(value).strip()
    if not re.match(r"https?://[^\s<>\"'`]+$", text):
        return Markup("#")
    return Markup(quote(text, safe=":/?#@!$&'*+,;=%~-._"))


def nav_title(value: object) -> str:
    """A navigation title from data. MkDocs themes insert nav titles as HTML (and Material's `<title>`
    unescapes them once through `striptags`), so `<` and `>` become the look-alikes ‹ › and the rest is
    HTML-escaped: the title reads the same and never parses as markup in either place."""
    return html.escape(str(value).replace("<", "‹").replace(">", "›"), quote=True)


def slug(value: object) -> Markup:
    """An id used in a URL or anchor (edition, objective, source ids): validated, then passed as is."""
    text = str(value)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", text):
        raise ValueError(f"not a safe id: {text!r}")
    return Markup(text)


def possessive(name: object) -> str:
    """United States → United States', Japan → Japan's."""
    text = str(name)
    return f"{text}'" if text.endswith("s") else f"{text}'s"


def rank(value: object) -> str:
    """A rank as a plain number, or an en dash when missing."""
    if _missing(value):
        return "–"
    return str(int(value))  # type: ignore[call-overload]


def _finalize(value: Any) -> Any:
    # every {{ }} output: markup passes, anything else is escaped as data
    return value if isinstance(value, Markup) else escape("" if value is None else value)


try:  # pandas' missing value, without importing pandas at module import for tools that do not need it
    from pandas import NA as _NA
except ImportError:  # pragma: no cover
    _NA = object()


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment for page templates: strict, and escaping every value by default."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # values are escaped by `finalize` (Markdown too); macro output stays markup
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=number, ordinal=ordinal, e=escape, href=href, slug=slug, rank=rank, possessive=possessive
    )
    return env
