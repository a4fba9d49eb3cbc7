"""Page generation: results in, `{path: Markdown}` out, independent of MkDocs.

`render(project, results, templates)` returns a `SiteFiles`: the Markdown of every generated page, the
charts they embed (rendered to SVG by the build), the download files and the navigation. Any engine that
reads `mkdocs.yml`-style Markdown can publish these pages; the MkDocs hook only hands them over.

The registry (`scoring.pages.registry`) says which pages exist. Each template receives one object,
`page`: the frozen dataclass its builder in `scoring.pages.contexts` returns (fields documented
there), plus the helpers `chart(c)` (embed a chart), `link(kind, id)` (a link from this page to a page
of the registry, e.g. `link("country", "PRK")`) and `download(edition, name)` (a link to a download).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
from markupsafe import Markup

from scoring import __version__
from scoring.inputs.load import Project
from scoring.method import audit, change
from scoring.method.audit import Audit
from scoring.method.engine import Results
from scoring.outputs import export
from scoring.outputs.text import number as format_number
from scoring.pages.charts import Chart
from scoring.pages.contexts import SiteContext
from scoring.pages.markup import environment, escape
from scoring.pages.registry import Page, Registry, site_registry

DEFAULT_PAIR = ("PRK", "KOR")  # the home page's comparison and the compare page's first pair


@dataclass(frozen=True)
class SiteFiles:
    pages: dict[str, str]  # docs-relative path -> Markdown
    charts: dict[str, Chart]  # chart id -> chart; the build writes charts/<id>.svg
    files: dict[str, bytes]  # docs-relative path -> content (downloads)
    nav: list[Any]  # MkDocs nav
    registry: Registry | None = None  # which pages exist, and their paths


def _depth(path: str) -> int:
    """How many folders deep the page's URL is (use_directory_urls: a/b.md is served at a/b/)."""
    parts = PurePosixPath(path).parts
    return len(parts) - 1 if parts[-1] == "index.md" else len(parts)


class _Renderer:
    def __init__(self, registry: Registry, templates: Path) -> None:
        self.registry = registry
        self.env = environment(templates)
        self.pages: dict[str, str] = {}
        self.charts: dict[str, Chart] = {}

    def render(self, page: Page) -> None:
        path = page.path
        prefix = "../" * _depth(path)

        def chart(c: Chart, estimated: bool | str = False, source: str = "") -> Markup:
            self.charts[c.id] = c
            return self._figure(c, prefix, estimated, source)

        def link(kind: str, id: str = "") -> Markup:
            return Markup(_relative(path, self.registry.path_of(kind, id)))

        def download(edition: str, name: str) -> Markup:
            return Markup(_relative(path, self.registry.download(edition, name)))

        self.pages[path] = self.env.get_template(page.template).render(
            page=page.context(), chart=chart, link=link, download=download
        )

    def _figure(self, c: Chart, prefix: str, estimated: bool | str, source: str) -> Markup:
        columns = list(c.table.columns)
        head = "".join(f'<th scope="col">{escape(col)}</th>' for col in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in c.table.itertuples(index=False)
        )
        notes = {"partly": " Some values (those of estimated editions) are estimates, not published figures."}
        note = notes.get(str(estimated), " Values are estimates, not published figures." if estimated else "")
        return Markup(
            f'<figure class="cp-chart" id="figure-{c.id}">\n'
            f'<div class="cp-chart__view" data-chart="{c.id}">'
            f'<img src="{prefix}charts/{c.id}.svg" alt="{escape(c.description)}" loading="lazy"></div>\n'
            f'<script type="application/json" id="spec-{c.id}">{c.json()}</script>\n'
            f"<figcaption>{escape(c.title)}. Source: {escape(source)}.{escape(note)}</figcaption>\n"
            f'<details class="cp-table"><summary>Data table: {escape(c.title)}</summary>\n'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"
            f"</details>\n</figure>\n"
        )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return format_number(value, 2)
    return "–" if value is None or value is pd.NA else str(value)


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
) -> SiteFiles:
    """Every generated page, chart and download of the site.

    `provenance` (package version, input file hashes, build date if any) goes on the About page and into
    each `results.json`; without it those name only the package version. `dots` places countries too
    small for the topology on the map (see `load_dots`). `audits` (by edition id) are computed here
    when not given; the build passes them from its cache.
    """
    provenance = provenance or {"package": f"cyberpower {__version__}", "inputs": {}}
    editions = sorted(results.values(), key=lambda r: (r.spec.year, r.spec.id), reverse=True)
    if audits is None:
        audits = {i: audit.analyse(project.editions[i], project.countries, r) for i, r in results.items()}
    site = SiteContext(
        editions, project.countries, project.sources, project.notes, change.history(results), project, audits
    )
    files = {
        f"downloads/{name}": content
        for name, content in export.download_files(
            results, project.sources, {"build": provenance}, audits
        ).items()
    }
    registry = site_registry(site, pair, topology, dots, provenance, frozenset(files))
    r = _Renderer(registry, templates)
    for page in registry.pages:
        r.render(page)
    return SiteFiles(r.pages, r.charts, files, registry.nav(), registry)
