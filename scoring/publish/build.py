"""`cyberpower build`: validate, score, generate and run the MkDocs build, replacing the site atomically.

The site is built into a fresh folder next to the target and swapped in only when the whole build
succeeded, so a failed build (bad data, a broken template, a strict-mode warning) leaves the last good
site exactly as it was.
"""

from __future__ import annotations

import ctypes
import glob
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from scoring.inputs.errors import ProjectError
from scoring.outputs import agreement
from scoring.pages.markup import template_problem
from scoring.publish import csp, source, svg
from scoring.publish.sitegen import BUNDLE, MARKER, Paths, generate, load_and_score, log


@dataclass(frozen=True)
class Summary:
    site_dir: Path
    editions: dict[str, tuple[int, int]]  # edition -> (ranked, not ranked)
    pages: int
    files: int
    seconds: float
    figures: tuple[agreement.Agreement, ...] = ()  # published figures against computed ones, per edition

    @property
    def warnings(self) -> list[agreement.FigureWarning]:
        """The published figures no longer reproduced (the MkDocs render itself allows no warning)."""
        return agreement.warnings(list(self.figures))

    def __str__(self) -> str:
        editions = "; ".join(f"{e}: {r} ranked, {u} not ranked" for e, (r, u) in self.editions.items())
        count = len(self.warnings)
        warned = f"{count} warning{'' if count == 1 else 's'}" if count else "no warnings"
        return (
            f"built {self.site_dir} in {self.seconds:.1f} s: {len(self.editions)} editions ({editions}); "
            f"{self.pages} pages, {self.files} files; {agreement.summary(list(self.figures))}; "
            f"strict mode, {warned}"
        )


def build(
    config_file: Path,
    data_dir: Path,
    indices_dir: Path,
    site_dir: Path | None = None,
    docs_dir: Path | None = None,
    strict: bool = False,
) -> Summary:
    """Build the site into `site_dir` (default: `site_dir` of the MkDocs config), atomically.

    One pass: the project is loaded, validated and scored once, its pages generated once, written as a
    complete MkDocs source (into `docs_dir` when given, else a temporary folder) and rendered by MkDocs
    in strict mode with no hook. `strict` also makes a published figure (`facts.csv`) that the data no
    longer reproduces an error, before anything is rendered. Raises ProjectError on bad input (and on
    such a figure when `strict`) and on a broken template (theme overrides included), UnsafeTarget for
    a target that is not a site, csp.PolicyViolation for a page with an inline script, MkDocsException
    for a failed render.
    """
    started = time.perf_counter()
    root = config_file.resolve().parent
    config = source.read_config(config_file)
    target = (site_dir if site_dir is not None else root / config.get("site_dir", "site")).resolve()
    protected = [root, root / config.get("docs_dir", "docs"), data_dir, indices_dir, root / "templates"]
    check_target(target, protected)
    if docs_dir is not None:
        check_target(docs_dir.resolve(), protected, marker=source.SOURCE_MARKER)
    paths = Paths.for_project(root, data_dir, indices_dir)
    # the chart images that the cache lacks are made by helper processes while MkDocs renders the pages;
    # they start first, on the core that loading and scoring leave idle, to be ready (vl-convert takes
    # ~0.4 s to start, and the first helper makes the chart runtime if the cache lacks it, ~0.7 s)
    helpers = svg.started(paths.cache)
    try:
        project, results = load_and_score(paths)  # bad input stops here, with every problem listed
        figures = tuple(agreement.check(project, results))
        if strict and agreement.warnings(list(figures)):
            raise ProjectError([w.as_problem() for w in agreement.warnings(list(figures))])
        generated = generate(project, results, paths, wait=False, helpers=helpers)
    except BaseException:
        svg.stop(helpers or [])  # at once: what they finished stays in the cache
        raise
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent))
    written = Path(tempfile.mkdtemp(prefix=f".{target.name}.source-{os.getpid()}-", dir=target.parent))
    try:
        source.write_source(generated, config_file, written / "source")
        log.info("cyberpower: rendering %d pages with MkDocs (strict mode)", len(generated.pages))
        try:
            mkdocs_build(
                load_config(str(written / "source" / "mkdocs.yml"), strict=True, site_dir=str(staging))
            )
        except jinja2.TemplateError as error:  # a theme override that does not compile or render
            copy = written / "source" / "theme"  # named by the original: templates/theme/main.html:32:0
            original = root / str((config.get("theme") or {}).get("custom_dir") or "templates/theme")
            raise ProjectError(
                [template_problem(error, copy / "main.html", copied=(copy, original))]
            ) from None
        # raw HTML links to them (the figures), which MkDocs leaves as they are: they may come after it
        folders = (staging, written / "source" / "docs") if docs_dir is not None else (staging,)
        generated.write_images(*folders)
        csp.check_site(staging)
        (staging / MARKER).write_text("built by cyberpower; a rebuild replaces this folder\n")
    except BaseException:
        if generated.images is not None:
            generated.images.stop()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(written, ignore_errors=True)
        raise
    if docs_dir is not None:
        _swap(written / "source", docs_dir.resolve())
    shutil.rmtree(written, ignore_errors=True)
    _swap(staging, target)
    pages = sum(1 for _ in target.rglob("index.html"))
    files = sum(1 for p in target.rglob("*") if p.is_file())
    assert (target / BUNDLE).exists()
    return Summary(target, generated.editions, pages, files, time.perf_counter() - started, figures)


class UnsafeTarget(Exception):
    """The site folder asked for would overwrite something that is not a built site."""


def check_target(target: Path, protected: list[Path], marker: str = MARKER) -> None:
    """Refuse to replace a folder that holds sources, or one that a build did not make.

    A build replaces its target whole, so the target must not be (or contain) the project, the
    MkDocs source, the data, the definitions or the templates, nor lie inside one of the last four;
    and a non-empty existing target must carry the marker file that every build writes.
    """
    if (target.exists() or target.is_symlink()) and not target.is_dir():
        raise UnsafeTarget(f"refusing to build into {target}: it is a file, not a folder")
    if ".git" in target.parts:
        raise UnsafeTarget(f"refusing to build into {target}: it lies inside a .git folder")
    for place in (p.resolve() for p in protected):
        if target == place or target in place.parents:
            raise UnsafeTarget(f"refusing to build into {target}: it would replace {place}")
    for place in (p.resolve() for p in protected[1:]):
        if place in target.parents:
            raise UnsafeTarget(f"refusing to build into {target}: it lies inside {place}")
    if target.is_dir() and any(target.iterdir()) and not (target / marker).is_file():
        raise UnsafeTarget(
            f"refusing to build into {target}: it is not empty and holds no {marker} file, so it was not "
            "made by a build; empty it or choose another folder"
        )


_RENAME_EXCHANGE = 2  # renameat2(2): swap two paths in one step (Linux 3.15+, most file systems)
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot, so the caller falls back."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(done == 0)


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is. Where the system can swap two folders in one step, a reader (or
    a crash) sees the old site or the new one at every instant; elsewhere there is a moment between
    two renames with no folder at the target. The old site is removed only after the new one is in."""
    staging.chmod(0o755)
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site
        return
    retired = target.with_name(f".{target.name}.old-{os.getpid()}-0")
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:building|source|old)-(?P<pid>\d+)-.*")


def remove_stale(target: Path) -> list[Path]:
    """Remove what an interrupted build of `target` left beside it (staging, source and retired folders
    of a process that no longer runs); return what was removed."""
    removed = []
    for path in target.parent.glob(f".{glob.escape(target.name)}.*-*-*"):
        match = _LEFTOVER.fullmatch(path.name)
        if match and match["name"] == target.name and path.is_dir() and not _running(int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
