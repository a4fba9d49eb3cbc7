"""Everything the site generates from the data, as in-memory files, for the MkDocs hook to hand over.

`generate(paths)` validates and scores the project, renders the pages, the downloads, the static SVG
fallback of every chart and the chart JavaScript bundle. It writes nothing into the MkDocs source
folder; only the SVG and bundle caches (under the cache folder) touch the disk.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoring import __version__
from scoring.inputs import mapdata
from scoring.inputs.errors import ProjectError
from scoring.inputs.load import load_project
from scoring.method.engine import run_all
from scoring.pages import render as pages
from scoring.publish import svg

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

    def watched(self) -> list[Path]:
        return [self.data, self.indices, self.templates]


@dataclass(frozen=True)
class Generated:
    pages: dict[str, str]  # docs-relative path -> Markdown
    files: dict[str, bytes]  # docs-relative path -> content
    nav: list[Any]
    counts: dict[str, int]
    inputs: dict[str, str]  # input file -> sha256


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


def generate(paths: Paths) -> Generated:
    """Validate, score and render; raises ProjectError (with every problem) on bad input."""
    started = time.perf_counter()
    project = load_project(paths.data, paths.indices)
    results = run_all(project)
    for edition_id, result in results.items():
        log.info(
            "cyberpower: scored %s: %d ranked, %d not ranked",
            edition_id,
            int(result.overall["ranked"].sum()),
            int((~result.overall["ranked"]).sum()),
        )
    topology = mapdata.load_topology(paths.topology)
    inputs = input_hashes(paths)
    provenance: dict[str, Any] = {"package": f"cyberpower {__version__}", "inputs": inputs}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        built = datetime.fromtimestamp(int(epoch), tz=UTC)
        provenance["built"] = built.strftime("%Y-%m-%d %H:%M UTC")
    dots = mapdata.load_dots(paths.dots)
    site = pages.render(project, results, paths.templates, topology, provenance, dots=dots)
    files = dict(site.files)
    for n, (chart_id, chart) in enumerate(sorted(site.charts.items()), start=1):
        files[f"charts/{chart_id}.svg"] = svg.render(chart.spec, paths.cache)
        if n % 50 == 0:
            log.info("cyberpower: rendered %d of %d chart images", n, len(site.charts))
    files[BUNDLE] = svg.javascript_bundle(paths.cache)
    counts = {
        "editions": len(results),
        "pages": len(site.pages),
        "charts": len(site.charts),
        "ranked": sum(int(r.overall["ranked"].sum()) for r in results.values()),
        "unranked": sum(int((~r.overall["ranked"]).sum()) for r in results.values()),
    }
    log.info(
        "cyberpower: generated %d pages and %d charts in %.1f s (version %s)",
        counts["pages"],
        counts["charts"],
        time.perf_counter() - started,
        __version__,
    )
    return Generated(site.pages, files, site.nav, counts, inputs)


def error_site(error: ProjectError) -> Generated:
    """A one-page site listing the data problems, for the live preview while the data is broken."""
    lines = "\n".join(f"    {problem}" for problem in error.problems)
    page = (
        "# The data has problems\n\n"
        f"The preview cannot be built: {len(error.problems)} problem(s) were found. Fix them and save; "
        "this page reloads by itself.\n\n" + lines + "\n"
    )
    return Generated(
        {"index.md": page}, {}, [{"Data problems": "index.md"}], {"problems": len(error.problems)}, {}
    )
