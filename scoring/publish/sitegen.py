"""Everything the site generates from the data, as in-memory files, for the MkDocs hook to hand over.

`load_and_generate(paths)` loads, validates and scores the project once, then `generate` renders the
pages, the downloads, each chart's files (static SVG and PNG, compiled Vega spec, data as CSV) and the
chart runtime. It writes nothing into the MkDocs source folder; only its caches (chart files, the
runtime and the audits, under the cache folder) touch the disk.

A process that generates again (the preview, after each saved edit) keeps, in memory, what the edit
did not touch, each keyed by the content it was made from: an edition's data as loaded and its
results, the audits, the map, the pages and the parts of pages made of an untouched edition
(`pages.Reuse`, `method.memo.kept`). `forget()` drops all of it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pandas as pd
from markupsafe import Markup

from scoring import __version__
from scoring.inputs import load, mapdata
from scoring.inputs.errors import ProjectError, printable
from scoring.inputs.load import Project, load_project
from scoring.method import audit
from scoring.method.engine import Results, run_all
from scoring.pages import render as pages
from scoring.pages.charts import Chart, geo
from scoring.pages.charts.base import Family
from scoring.pages.markup import environment, escape
from scoring.publish import csp, memo, svg

log = logging.getLogger("mkdocs.plugins.cyberpower")
BUNDLE = "assets/javascripts/vega-bundle.js"
MARKER = ".cyberpower-site"  # written into every built site, so a later build knows it may replace it


@dataclass(frozen=True)
class Paths:
    data: Path
    indices: Path
    templates: Path
    topology: Path
    dots: Path
    cache: Path | None

    @classmethod
    def for_config(cls, config_file: Path) -> Paths:
        """Paths next to `mkdocs.yml`; CYBERPOWER_DATA and CYBERPOWER_INDICES override the first two."""
        root = config_file.resolve().parent
        return cls(
            data=Path(os.environ.get("CYBERPOWER_DATA") or root / "data"),
            indices=Path(os.environ.get("CYBERPOWER_INDICES") or root / "indices"),
            templates=root / "templates",
            topology=root / "site" / mapdata.TOPOLOGY,
            dots=root / "site" / mapdata.SMALL_COUNTRIES,
            cache=Path(os.environ.get("CYBERPOWER_CACHE") or root / "build" / ".cache"),
        )

    @classmethod
    def for_project(cls, root: Path, data: Path, indices: Path) -> Paths:
        """Paths of the project at `root`, with the data and definitions given (no environment)."""
        default = cls.for_config(root / "mkdocs.yml")
        return cls(data, indices, default.templates, default.topology, default.dots, default.cache)

    def watched(self) -> list[Path]:
        return [self.data, self.indices, self.templates]


@dataclass(frozen=True)
class Generated:
    pages: dict[str, str]  # docs-relative path -> Markdown
    files: dict[str, bytes]  # docs-relative path -> content
    nav: list[Any]
    editions: dict[str, tuple[int, int]]  # edition id -> (ranked, not ranked); empty for an error site
    inputs: dict[str, str]  # input file -> sha256
    images: svg.Rendering | None = None  # chart images and the runtime still being made, not yet in files

    def image_files(self) -> dict[str, bytes]:
        """The chart images and the runtime that `files` still lacks, once they are made."""
        if self.images is None:
            return {}
        return _site_paths(*self.images.wait())

    def write_images(self, *folders: Path) -> None:
        """Write `image_files` into each folder (a built site, a written source's docs): with a cache,
        as links to the cache's files (`place`)."""
        if self.images is None or self.images.cache is None:
            for path, content in self.image_files().items():
                for folder in folders:
                    (folder / path).parent.mkdir(parents=True, exist_ok=True)
                    (folder / path).write_bytes(content)
            return
        located, runtime = self.images.located()
        sources = _site_paths(located, runtime)
        for folder in folders:
            for parent in {(folder / path).parent for path in sources}:
                parent.mkdir(parents=True, exist_ok=True)
            for path, source in sources.items():
                place(source, folder / path)

    def complete(self) -> Generated:
        """The site with every file in `files`."""
        return replace(self, files={**self.files, **self.image_files()}, images=None)


def _site_paths(made: dict[str, dict[str, T]], runtime: T | None) -> dict[str, T]:
    """The chart images and the runtime (their content, or where it is) by their path in the site."""
    files = {
        f"charts/{chart_id}.{svg.KINDS[kind][1]}": content
        for kind, by_id in made.items()
        for chart_id, content in by_id.items()
    }
    return {**files, BUNDLE: runtime} if runtime is not None else files


def place(source: Path, target: Path) -> None:
    """`target` (in an existing folder) with the content of `source`, a file in the cache: a hard link
    to it where the file system allows, else a copy. A link copies no content: measured on the shipped
    site's charts folder (722 files, 23 MB), 12 ms to link, 0.2-0.5 s to write, at the end of each
    build, cold or warm. It is safe because no cache file is ever written into: a new one replaces it
    (`memo.write_atomically`); nor is `target`, which may be such a link from an earlier build: it is
    replaced. The file gets the mode a file written here would have, which the cache's own files lack."""
    if stat.S_IMODE(source.stat().st_mode) != FILE_MODE:
        source.chmod(FILE_MODE)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # what a file written here gets


def input_hashes(paths: Paths) -> dict[str, str]:
    """sha256 of every data and definition file, keyed by path relative to its folder's parent, and of
    the map's small-country positions (which change the map as data does)."""
    hashes = {}
    for folder in (paths.data, paths.indices):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            hashes[path.relative_to(folder.parent).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    if paths.dots.is_file():
        hashes[f"site/{mapdata.SMALL_COUNTRIES}"] = hashlib.sha256(paths.dots.read_bytes()).hexdigest()
    return hashes


P = ParamSpec("P")
T = TypeVar("T")


def _collector_paused(step: Callable[P, T]) -> Callable[P, T]:
    """`step` with Python's cyclic garbage collector paused: a generation allocates millions of short-
    lived objects, and with what a process keeps between generations (the preview) each full collection
    scans a large heap, ~0.1 s every other generation after an edit (measured). What the step leaves
    for the collector is collected after it, on the collector's own schedule."""

    @functools.wraps(step)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        if not gc.isenabled():
            return step(*args, **kwargs)
        gc.disable()
        try:
            return step(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@_collector_paused
def generate(
    project: Project,
    results: dict[str, Results],
    paths: Paths,
    wait: bool = True,
    helpers: list[subprocess.Popen[bytes]] | None = None,
) -> Generated:
    """Render every page, download, static chart image and the chart bundle from scored results.

    With `wait=False` the chart images and the runtime that the cache lacks are still being made when
    this returns (`Generated.images`), so that the caller can go on meanwhile: by the chart `helpers`
    given (`svg.started` before the project was loaded), or by ones started here if the site has new
    pages.

    Raises csp.PolicyViolation if a generated page holds an executable inline script (every value from
    the data is escaped, so only a template could put one there)."""
    started = time.perf_counter()
    for edition_id, result in results.items():
        log.info(
            "cyberpower: scored %s: %d ranked, %d not ranked",
            edition_id,
            int(result.overall["ranked"].sum()),
            int((~result.overall["ranked"]).sum()),
        )
    inputs = input_hashes(paths)
    provenance: dict[str, Any] = {"package": f"cyberpower {__version__}", "inputs": inputs}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        built = datetime.fromtimestamp(int(epoch), tz=UTC)
        provenance["built"] = built.strftime("%Y-%m-%d %H:%M UTC")
    key = site_inputs(paths, inputs, provenance)
    # pages to render, for a build that goes on while the chart images are made: some charts will be
    # new, so chart helpers start now, unless the caller started them (a build does, before loading),
    # to be ready with them (vl-convert takes ~0.4 s to start)
    fresh = not wait and not memo.holds(paths.cache, "site", key)
    if helpers is None and fresh:
        helpers = svg.started(paths.cache)
    # on a process's first generation (a build: often many new charts), each page's charts go to the
    # helpers as soon as the page is rendered; on later ones (the preview, after an edit: few new
    # charts) at the end, since helpers making images meanwhile would slow the pages down (measured:
    # a generation after an edit that changes ~100 charts 0.9 → 2.0 s)
    first = not _generated
    handing = svg.Handing(helpers, paths.cache) if helpers and paths.cache and first else None
    try:
        pages, files, nav, specs, previews = memo.cached(
            paths.cache,
            "site",
            key,
            functools.partial(_pages, project, results, paths, key, provenance, handing),
        )
    except BaseException:
        svg.dismiss(helpers or [])
        raise
    log.info("cyberpower: rendering %d chart images (cached ones are reused)", len(specs))
    images = svg.start(specs, paths.cache, helpers=helpers, waiting=wait, handing=handing, pngs=previews)
    editions = {
        edition_id: (int(r.overall["ranked"].sum()), int((~r.overall["ranked"]).sum()))
        for edition_id, r in results.items()
    }
    log.info(
        "cyberpower: generated %d pages and %d charts in %.1f s (version %s)",
        len(pages),
        len(specs),
        time.perf_counter() - started,
        __version__,
    )
    generated = Generated(pages, files, nav, editions, inputs, images)
    _generated[:] = [True]
    return generated.complete() if wait else generated


_generated: list[bool] = []  # [True] once this process has generated a site


# (pages, files, nav, chart specs, the charts that are a page's main chart): what the pages of a site
# are, before their charts become images (a PNG for the main charts only, their pages' Open Graph image)
SitePages = tuple[dict[str, str], dict[str, bytes], list[Any], dict[str, dict[str, Any]], frozenset[str]]


def _pages(
    project: Project,
    results: dict[str, Results],
    paths: Paths,
    inputs: dict[str, str],
    provenance: dict[str, Any],
    handing: svg.Handing | None = None,
) -> SitePages:
    """Every page (checked against the policy), download and chart specification of the site, from
    `inputs` (`site_inputs`); each page's charts handed to the helpers (`handing`) as soon as it is
    rendered."""
    map_key, topology, dots = _map(paths, inputs)
    drawing = geo.geometry_spec(topology, dots) if map_key not in _shapes else None
    if drawing is not None and handing is not None:  # made by a helper while the audits are computed
        handing.hand({svg.GEOMETRY: drawing}, pngs=(), kinds=("svg",))
    audits = {
        edition_id: memo.cached(
            paths.cache,
            "audit",
            memo.edition_inputs(inputs, paths.data, paths.indices, edition_id),
            functools.partial(audit.analyse, project.editions[edition_id], project.countries, result),
            keep=True,
        )
        for edition_id, result in results.items()
    }
    site = pages.render(
        project,
        results,
        paths.templates,
        topology,
        provenance,
        dots=dots,
        audits=audits,
        reuse=_reuse(paths, inputs, list(results)),
        on_charts=(
            (lambda charts, main: handing.hand({c.id: c.spec for c in charts}, [main] if main else []))
            if handing
            else None
        ),
    )
    for path, text in site.pages.items():
        csp.check_page(text, path)
    # the projected shapes the map page colours (map.js): one file for both editions' maps
    if drawing is not None:
        _shapes[map_key] = svg.geometry(drawing, paths.cache)
    shapes = _shapes[map_key]
    files = {**site.files, geo.SERVED_SHAPES: shapes}
    specs = {i: c.spec for i, c in sorted(site.charts.items())}
    return site.pages, files, site.nav, specs, site.previews


# the map as read (its topology and the small countries' positions) and its shapes file (`svg.geometry`),
# by the hashes of the map's files: made again in this process only when those change, and otherwise
# the same objects, by which the map's sections are kept (`contexts`)
_maps: dict[str, tuple[dict[str, Any], pd.DataFrame | None]] = {}
_shapes: dict[str, bytes] = {}


def _map(paths: Paths, inputs: dict[str, str]) -> tuple[str, dict[str, Any], pd.DataFrame | None]:
    """The map as read, and its key, by the hashes in `inputs` (`site_inputs`)."""
    key = json.dumps([inputs["topology"], inputs.get(f"site/{mapdata.SMALL_COUNTRIES}")])
    if key not in _maps:
        _maps.clear()
        _shapes.clear()
        _maps[key] = (mapdata.load_topology(paths.topology), mapdata.load_dots(paths.dots))
    return (key, *_maps[key])


# what this process's renders made of each page that declares the editions it reads, and of each part
# of a page (`pages.Reuse`)
_rendered: dict[str, tuple[str, str, tuple[Chart, ...]]] = {}
_parts: dict[tuple[Any, ...], tuple[object, Markup, tuple[Chart, ...]]] = {}


def _reuse(paths: Paths, inputs: dict[str, str], editions: list[str]) -> pages.Reuse:
    """The digests a render needs to reuse pages an edit did not touch: of each edition's data folder,
    and of everything else the pages are made from (`site_inputs`)."""
    folders = {e: f"{paths.data.name}/{e}/" for e in editions}
    own = {e: {k: v for k, v in inputs.items() if k.startswith(folder)} for e, folder in folders.items()}
    # the provenance (every input's hash, the build's date) is on the About and Data pages only, which
    # read every edition
    shared = {
        k: v
        for k, v in inputs.items()
        if k != "provenance" and not any(k.startswith(f) for f in folders.values())
    }
    editions_data = {e: _digest(hashes) for e, hashes in own.items()}
    return pages.Reuse(_digest(shared), editions_data, _rendered, _parts)


def _digest(hashes: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


def site_inputs(paths: Paths, inputs: dict[str, str], provenance: dict[str, Any]) -> dict[str, str]:
    """What the pages are made from, beyond the method code that `memo.cached` keys by: the data and
    definitions (`inputs`), the map, the templates, the whole package's code, the versions of the
    libraries that shape the pages and charts, and the provenance shown on them. A warm build with
    none of these changed reuses the pages of the last one."""
    templates = paths.templates
    return {
        **inputs,
        "topology": memo.digest([paths.topology]),
        "templates": memo.digest(sorted(p for p in templates.rglob("*") if p.is_file()), templates),
        "code": memo.package_code(),
        "libraries": " ".join(f"{name} {version(name)}" for name in memo.LIBRARIES),
        "provenance": json.dumps(provenance, sort_keys=True),
    }


# each edition's results from this process's last `load_and_score`, with the hashes of the files they
# were scored from: the preview, after an edit, scores only the editions it touched, and whatever is
# derived from an untouched edition's Results object once (`per_results`) is derived once per process
_scored: dict[str, tuple[dict[str, str], Results]] = {}


def forget() -> None:
    """Drop what this process keeps of earlier generations (the loaded editions, their results and the
    audits, pages and parts of pages made of them, the map, the charts' structures and compiled specs,
    the compiled templates, the links between pages): the next generation is a new process's."""
    for kept in (_maps, _shapes, _rendered, _parts, _scored, load._loaded, memo._kept, _generated):
        kept.clear()
    Family.forget()
    svg.forget()
    environment.cache_clear()
    pages._relative.cache_clear()


@_collector_paused
def load_and_score(paths: Paths) -> tuple[Project, dict[str, Results]]:
    """Load, validate and score the project at `paths`, once. Raises ProjectError (with every problem)
    on bad input."""
    project = load_project(paths.data, paths.indices)
    inputs = input_hashes(paths)
    # the folders too: results name their definition's file (in problems and sources)
    folders = {"folders": f"{paths.data.resolve()}\n{paths.indices.resolve()}"}
    keys = {
        e: {**folders, **memo.edition_inputs(inputs, paths.data, paths.indices, e)} for e in project.editions
    }
    results = run_all(project, known={e: r for e, (key, r) in _scored.items() if keys.get(e) == key})
    _scored.clear()
    _scored.update({e: (keys[e], r) for e, r in results.items()})
    return project, results


def load_and_generate(paths: Paths, wait: bool = True) -> Generated:
    """Load, validate, score and render the project at `paths`: the one pass of a build (`wait` as
    for `generate`). Raises ProjectError (with every problem) on bad input."""
    return generate(*load_and_score(paths), paths, wait)


def problems_html(error: Exception) -> str:
    """The live preview's problem page, as an HTML fragment: a ProjectError's problems, one an item, a
    page the policy forbids, or an unexpected error's type and message (its traceback goes to the
    terminal).

    Each problem is one line of inert text: control characters shown escaped (`printable`), and every
    character that HTML or Markdown could act on written as an entity, so a cell holding a newline and
    `<img onerror=...>` shows as typed and never runs."""
    if isinstance(error, ProjectError):
        lines = [str(problem) for problem in error.problems]
        noun = "problem" if len(lines) == 1 else "problems"
        found = f"{len(lines)} {noun} in the data, the index definitions or the templates"
    elif isinstance(error, csp.PolicyViolation):
        lines = [printable(str(error))]
        found = "a generated page that the site's Content-Security-Policy forbids"
    else:
        lines = [printable(f"{type(error).__name__}: {error}")]
        found = "an unexpected error (its traceback is in the terminal)"
    items = "\n".join(f"<li>{escape(line)}</li>" for line in lines)
    return (
        f'<h1 id="problems">The preview cannot be built</h1>\n'
        f"<p>Found {found}. Fix and save: this page reloads by itself, at the address it has now.</p>\n"
        f'<ol class="cp-problems">\n{items}\n</ol>\n'
    )


def error_site(error: Exception) -> Generated:
    """A one-page site listing the problems (`problems_html`), for the live preview while the data, a
    definition or a template is broken. The hook also shows it at every other address (the theme's
    404 page), so the page being previewed shows the problems and comes back once they are fixed."""
    return Generated({"index.md": problems_html(error)}, {}, [{"Problems": "index.md"}], {}, {})
