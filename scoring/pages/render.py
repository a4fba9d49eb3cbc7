"""Page generation: results in, `{path: Markdown}` out, independent of MkDocs.

`render(project, results, templates)` returns a `SiteFiles`: the Markdown of every generated page, the
charts they embed (rendered to SVG by the build), the download files and the navigation. Any engine that
reads `mkdocs.yml`-style Markdown can publish these pages; the MkDocs hook only hands them over.

The registry (`scoring.pages.registry`) says which pages exist. Each template receives one object,
`page`: the frozen dataclass its builder in `scoring.pages.contexts` returns (fields documented
there), plus the helpers `chart(c)` (embed a chart), `link(kind, id)` (a link from this page to a page
of the registry, e.g. `link("country", "PRK")`), `download(edition, name)` (a link to a download) and
`search_tags(texts)` (texts from data as a page's search keywords, for its front matter).
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from scoring import __version__
from scoring.inputs.errors import ProjectError
from scoring.inputs.load import Project
from scoring.method import audit, change
from scoring.method.audit import Audit
from scoring.method.engine import Results
from scoring.outputs import export
from scoring.outputs.text import number as format_number
from scoring.pages.charts import Chart
from scoring.pages.charts.geo import SERVED_SHAPES
from scoring.pages.contexts import SiteContext
from scoring.pages.images import PNG_SCALE
from scoring.pages.markup import environment, escape, template_problem
from scoring.pages.registry import Page, Registry, UnknownPage, site_registry

DEFAULT_PAIR = ("PRK", "KOR")  # the home page's comparison and the compare page's first pair
METHOD_NOTE = "METHOD.md"  # an edition's method note, in its data folder: rendered as a page


@dataclass(frozen=True)
class SiteFiles:
    pages: dict[str, str]  # docs-relative path -> Markdown
    # chart id -> chart; the build writes charts/<id>.svg and .vg.json (the spec compiled to Vega)
    charts: dict[str, Chart]
    files: dict[str, bytes]  # docs-relative path -> content (downloads, and charts/<id>.csv)
    nav: list[Any]  # MkDocs nav
    registry: Registry | None = None  # which pages exist, and their paths
    # the charts that are a page's main chart (its first): the build also writes charts/<id>.png, the
    # page's Open Graph image (`_front_matter`)
    previews: frozenset[str] = frozenset()


# A figure's anchor: the dot keeps it apart from every heading id, which the Markdown table of contents
# makes of letters, digits, _ and - only, so no country or objective name can take a chart's anchor.
FIGURE_ID = "chart."


def _depth(path: str) -> int:
    """How many folders deep the page's URL is (use_directory_urls: a/b.md is served at a/b/)."""
    parts = PurePosixPath(path).parts
    return len(parts) - 1 if parts[-1] == "index.md" else len(parts)


@dataclass
class Reuse:
    """What lets `render` reuse pages of an earlier render in this process, for those an edit did not
    touch: the caller's digests of this render's inputs, `shared` of everything but the editions' data
    folders (definitions, countries, sources, notes, templates, the map, the code, the provenance) and
    `editions` of each edition's data folder; and `pages`, what renders made of each page that declares
    the editions it reads (`Page.reads`): path -> (key, Markdown, its charts)."""

    shared: str
    editions: dict[str, str]
    pages: dict[str, tuple[str, str, tuple[Chart, ...]]] = field(default_factory=dict)
    # what the last render made of each part of a page (`part`): (the part's object, Markdown, charts)
    parts: dict[tuple[Any, ...], tuple[object, Markup, tuple[Chart, ...]]] = field(default_factory=dict)


class _Renderer:
    def __init__(
        self, registry: Registry, templates: Path, reuse: Reuse | None = None, site: str = ""
    ) -> None:
        self.registry = registry
        self.templates = templates
        self.env = environment(templates)
        self.pages: dict[str, str] = {}
        self.charts: dict[str, Chart] = {}
        self._paths = frozenset(p.path for p in registry.pages)
        self.reuse, self.site = reuse, site
        self._used: dict[str, list[str]] = {}
        self._parts: dict[tuple[Any, ...], tuple[object, Markup, tuple[Chart, ...]]] = {}  # made or kept

    def _key(self, page: Page) -> str | None:
        """What the page is made from, when it declares the editions it reads and a `Reuse` is given:
        the shared inputs, the site's pages and editions (`site`), the page and its editions' data."""
        if self.reuse is None or page.reads is None:
            return None
        read = [self.reuse.editions.get(e, "") for e in page.reads]
        made = [self.reuse.shared, self.site, page.kind, page.id, page.template, page.title, read]
        return hashlib.sha256(json.dumps(made).encode()).hexdigest()

    def render(self, page: Page) -> None:
        key = self._key(page)
        if self.reuse is not None and key is not None:
            hit = self.reuse.pages.get(page.path)
            if hit is not None and hit[0] == key:
                self.pages[page.path] = hit[1]
                self.charts.update((c.id, c) for c in hit[2])
                self._used[page.path] = [c.id for c in hit[2]]
                return
        self._render(page)
        if self.reuse is not None and key is not None:
            used = self._used[page.path]
            self.reuse.pages[page.path] = (key, self.pages[page.path], tuple(self.charts[i] for i in used))

    def used(self, page: Page) -> list[str]:
        """The ids of the charts on a rendered page, in order."""
        return self._used[page.path]

    def main_chart(self, page: Page) -> str | None:
        """The id of a rendered page's main chart, its first: its PNG is the page's Open Graph image."""
        return _main(self._used[page.path])

    def _render(self, page: Page) -> None:
        path = page.path
        used: list[str] = []  # this page's charts, in order: the first is its main chart

        def chart(c: Chart, estimated: bool | str = False, source: str = "") -> Markup:
            self.charts[c.id] = c
            used.append(c.id)
            return self._figure(c, path, estimated, source)

        def link(kind: str, id: str = "") -> Markup:
            return Markup(_relative(path, self.registry.path_of(kind, id)))

        def download(edition: str, name: str) -> Markup:
            return Markup(_relative(path, self.registry.download(edition, name)))

        def part(template: str, s: object, **values: str) -> Markup:
            """A part of the page made by its own template from `s` and `values` only (not `page`); with
            `Reuse`, what a render made of the same `s` object (a country's section, kept with its
            edition's results) on this page is taken again."""
            key = (
                (self.reuse.shared, self.site, path, template, id(s), *sorted(values.items()))
                if self.reuse
                else ()
            )
            hit = self.reuse.parts.get(key) if self.reuse else None
            if hit is None or hit[0] is not s:
                before = len(used)
                try:
                    text = self.env.get_template(template).render(
                        s=s, **values, chart=chart, link=link, download=download
                    )
                except jinja2.TemplateError as error:
                    raise ProjectError([template_problem(error, self.templates / template, path)]) from None
                hit = (s, Markup(text), tuple(self.charts[i] for i in used[before:]))
            else:
                for c in hit[2]:
                    self.charts[c.id] = c
                    used.append(c.id)
            if self.reuse:
                self._parts[key] = hit
            return hit[1]

        context = page.context()  # outside the try: an error here is the code's, with its traceback
        try:
            text = self.env.get_template(page.template).render(
                page=context, chart=chart, link=link, download=download, search_tags=search_tags, part=part
            )
        except jinja2.TemplateError as error:  # the analyst's template: its file and line, no traceback
            where = self.templates / page.template
            raise ProjectError([template_problem(error, where, path)]) from None
        main = _main(used)
        self.pages[path] = _front_matter(text, f"charts/{main}.png") if main else text
        self._used[path] = used

    def _figure(self, c: Chart, path: str, estimated: bool | str, source: str) -> Markup:
        prefix = "../" * _depth(path)
        columns = list(c.table.columns)
        head = "".join(f'<th scope="col">{escape(col)}</th>' for col in columns)
        # a linked column's cells link to the pages the chart's marks link to: URLs from this page's
        # (the figure is raw HTML, whose links MkDocs leaves as they are, as it does the chart's files)
        links = c.table_links()
        hrefs = [
            [None if u is None else prefix + self._page_url(u) for u in links[col]]
            if col in links
            else [None] * len(c.table)
            for col in columns
        ]
        body = "".join(
            "<tr>"
            + "".join(f"<td>{_linked(escape(_cell(v)), hrefs[j][i])}</td>" for j, v in enumerate(row))
            + "</tr>"
            for i, row in enumerate(
                zip(*(c.table.iloc[:, k].tolist() for k in range(len(columns))), strict=True)
            )
        )
        notes = {"partly": " Some values (those of estimated editions) are estimates, not published figures."}
        note = notes.get(str(estimated), " Values are estimates, not published figures." if estimated else "")
        # the static image only without JavaScript (charts.js shows it if the live chart fails): a reader
        # with JavaScript would otherwise download every chart twice (the map: 75 kB gzipped each)
        # the chart's files, made at build time (CHART_FILES): plain links, so they work without JavaScript;
        # charts.js draws the chart from the compiled spec and makes "Link to this chart" copy the link.
        # The PNG is drawn from the SVG by charts.js, at PNG_SCALE on white, when the reader asks for it
        # (so the item shows only with JavaScript): made at build time for every chart, PNGs took a third
        # of the build's image making and 29 of the site's 48 MB.
        # The caption, the menu and the table are left out of the search index: the figures are on the
        # pages anyway, the captions repeat their source ~200 times, and every page loads the index
        files = f"{prefix}charts/{c.id}"
        # a map is drawn by map.js, without the Vega runtime: it colours the shared projected shapes
        # with the page's data (map.md.j2); charts.js draws the other charts from their compiled specs
        live = f'data-map="{prefix}{SERVED_SHAPES}"' if c.geographic else f'data-spec="{files}.vg.json"'
        return Markup(
            f'<figure class="cp-chart" id="{FIGURE_ID}{c.id}">\n'
            f'<div class="cp-chart__view" data-chart="{c.id}" {live}>'
            f'<noscript><img src="{files}.svg" alt="{escape(c.description)}" loading="lazy"></noscript>'
            "</div>\n"
            f"<figcaption data-search-exclude>{escape(c.title)}. Source: {escape(source)}.{escape(note)}"
            "</figcaption>\n"
            f'<details class="cp-chart__menu" data-search-exclude><summary>Download or link</summary><ul>'
            f'<li><a href="{files}.svg" download>Image (SVG)</a></li>'
            f'<li class="cp-chart__png" hidden><a href="{files}.svg" download="{c.id}.png" '
            f'data-scale="{PNG_SCALE}">Image (PNG)</a></li>'
            f'<li><a href="{files}.csv" download>Data shown (CSV)</a></li>'
            f'<li><a href="#{FIGURE_ID}{c.id}" class="cp-chart__anchor">Link to this chart</a></li>'
            f"</ul></details>\n"
            f'<details class="cp-table" data-search-exclude>'
            f"<summary>Data table: {escape(c.title)}</summary>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"
            f"</details>\n</figure>\n"
        )

    def _page_url(self, url: str) -> str:
        """`url` (from the site's root, `page_url`), checked to be a page the registry created."""
        if not {url.removesuffix("/") + ".md", url + "index.md"} & self._paths:
            raise UnknownPage(f"no page at {url!r}: the registry did not create it")
        return url


def _main(used: list[str]) -> str | None:
    return used[0] if used else None


def _linked(text: Markup, href: str | None) -> Markup:
    return text if href is None else Markup(f'<a href="{escape(href)}">{text}</a>')


# what the site holds of each chart, as charts/<id>.<ext>; and a PNG of each page's main chart
# (`SiteFiles.previews`)
CHART_FILES = ("svg", "vg.json", "csv")


def _front_matter(text: str, image: str) -> str:
    """The page with `image` (its main chart as PNG, from the site's root) in its front matter, for the
    theme's Open Graph tags (templates/theme/main.html)."""
    line = f"image: {image}\n"
    if text.startswith("---\n"):
        return "---\n" + line + text.removeprefix("---\n")
    return f"---\n{line}---\n\n{text}"


def search_tags(texts: Iterable[str]) -> Markup:
    """`texts` (from data) as the `tags` of a page's front matter: its search keywords, which Material's
    search indexes at a high weight and lists, as HTML, with each result. So `&`, `<` and `>` are
    escaped as HTML; and each is a double-quoted YAML string, read back exactly whatever it holds
    (quotes, `#`, `: `, brackets, any script)."""

    def character(c: str) -> str:
        if c in '"\\':
            return "\\" + c
        return c if c.isprintable() and c not in "\ufffe\uffff" else f"\\U{ord(c):08x}"

    def quoted(text: str) -> str:
        html = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return '"' + "".join(character(c) for c in html) + '"'

    return Markup("[" + ", ".join(quoted(t) for t in texts) + "]")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return format_number(value, 2)
    return "–" if value is None or value is pd.NA else str(value)


@functools.lru_cache(maxsize=65536)  # ~5 000 links a build, between ~300 pairs of pages
def _relative(source: str, target: str) -> str:
    """The link from one docs-relative Markdown file to another (MkDocs resolves it to the page URL)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def render(
    project: Project,
    results: dict[str, Results],
    templates: Path,
    topology: dict[str, Any],
    provenance: dict[str, Any] | None = None,
    pair: tuple[str, str] = DEFAULT_PAIR,
    dots: pd.DataFrame | None = None,
    audits: dict[str, Audit] | None = None,
    reuse: Reuse | None = None,
    on_charts: Callable[[list[Chart], str | None], None] | None = None,
) -> SiteFiles:
    """Every generated page, chart and download of the site.

    `provenance` (package version, input file hashes, build date if any) goes on the About page and into
    each `results.json`; without it those name only the package version. `dots` places countries too
    small for the topology on the map (see `load_dots`). `audits` (by edition id) are computed here
    when not given; the build passes them from its cache. With `reuse`, a page that declares the
    editions it reads and was rendered before from the same inputs is taken as it was. `on_charts`
    gets each page's charts and its main chart's id, once the page is rendered (the build starts
    making their images).
    """
    provenance = provenance or {"package": f"cyberpower {__version__}", "inputs": {}}
    editions = sorted(results.values(), key=lambda r: (r.spec.year, r.spec.id), reverse=True)
    if audits is None:
        audits = {i: audit.analyse(project.editions[i], project.countries, r) for i, r in results.items()}
    notes = {
        i: path.read_text("utf-8") for i in results if (path := project.data_dir / i / METHOD_NOTE).is_file()
    }
    site = SiteContext(
        editions,
        project.countries,
        project.sources,
        project.notes,
        change.history(results),
        project,
        audits,
        notes,
    )
    files = {
        f"downloads/{name}": content
        for name, content in export.download_files(
            results, project.sources, {"build": provenance}, audits
        ).items()
    }
    registry = site_registry(site, pair, topology, dots, provenance, frozenset(files))
    # what any page may show of the site beyond its editions' data and the definitions: which pages and
    # downloads exist
    whole = [[p.kind, p.id, p.path, p.title] for p in registry.pages] + sorted(files)
    r = _Renderer(registry, templates, reuse, hashlib.sha256(json.dumps(whole).encode()).hexdigest())
    for page in registry.pages:
        r.render(page)
        if on_charts is not None:
            on_charts([r.charts[i] for i in r.used(page)], r.main_chart(page))
    if reuse is not None:  # the parts of this render only: a later one reuses nothing older
        reuse.parts.clear()
        reuse.parts.update(r._parts)
    files.update({f"charts/{i}.csv": c.csv for i, c in sorted(r.charts.items())})
    previews = frozenset(main for page in registry.pages if (main := r.main_chart(page)))
    return SiteFiles(r.pages, r.charts, files, registry.nav(), registry, previews)
