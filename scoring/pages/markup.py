"""Text for pages: escaping that keeps data inert, numbers, ordinals and the Jinja environment.

Everything that comes from a CSV or a definition is text, never markup: `escape` turns it into HTML
entities for every character that HTML or Markdown could act on, so a country named
`[x](javascript:...)` or `<script>` shows exactly as typed. Only values wrapped in `Markup` by our own
code (chart JSON, generated HTML) pass through unchanged.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from scoring.outputs.text import digits, number, ordinal, possessive, rank

# HTML's five plus every ASCII character that starts Markdown, attr_list or pymdownx syntax
_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-!|~:=^$%@"}


def escape(value: object) -> Markup:
    """`value` as inert text for a Markdown page (safe in HTML text and attributes too)."""
    if isinstance(value, Markup):
        return value
    return Markup("".join(_ENTITIES.get(c, c) for c in str(value)))


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


def _finalize(value: Any) -> Any:
    # every {{ }} output: markup passes, anything else is escaped as data
    return value if isinstance(value, Markup) else escape("" if value is None else value)


@functools.lru_cache(maxsize=8)
def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment for page templates: strict, and escaping every value by default.

    One per templates folder and process, so the live preview compiles a template again only when its
    file changed (Jinja checks each template's modification time on use)."""
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
    env.globals["digits"] = digits  # the precision of a published or an estimated value
    return env
