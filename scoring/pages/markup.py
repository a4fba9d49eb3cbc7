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
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from scoring.inputs.errors import Problem, display_path
from scoring.outputs.text import digits, number, ordinal, possessive, rank

# HTML's five plus every ASCII character that starts Markdown, attr_list or pymdownx syntax
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-!|~:=^$%@"}


def escape(value: object) -> Markup:
    """`value` as inert text for a Markdown page (safe in HTML text and attributes too)."""
    if isinstance(value, Markup):
        return value
    return Markup(str(value).translate(_ENTITIES))


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


def template_problem(
    error: jinja2.TemplateError, template: Path, page: str = "", copied: tuple[Path, Path] | None = None
) -> Problem:
    """A template mistake as a located problem (`templates/country.md.j2:12:1: ...`).

    A syntax error names the file and line Jinja reports; an error while rendering (an undefined
    attribute under StrictUndefined, a missing include) names the innermost template line on its
    traceback, which Jinja rewrites to template lines. `template` is the file being rendered, the place
    when no template line is known; `page`, when given, is named in the hint of a run-time error.
    `copied` (copy, original) names a template rendered from a copied folder by its original."""
    where, line = template, 1
    if isinstance(error, jinja2.TemplateSyntaxError):  # raised while compiling: no template frame yet
        where, line = Path(error.filename or template), error.lineno
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.endswith((".j2", ".html")):
                where, line = Path(frame.filename), frame.lineno or 1
    if isinstance(error, jinja2.TemplateSyntaxError):
        message = f"template syntax error: {error.message}"
    elif isinstance(error, jinja2.TemplateNotFound):
        message = f"template not found: {error.name}"
    else:
        message = f"template error: {error.message or type(error).__name__}"
    if copied and where.is_relative_to(copied[0]):
        where = copied[1] / where.relative_to(copied[0])
    rendering = page and not isinstance(error, jinja2.TemplateSyntaxError)  # which page: only at run time
    return Problem(display_path(where), line, 0, message, f"while rendering {page}" if rendering else "")
