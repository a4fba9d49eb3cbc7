"""`cyberpower build`: validate, score, generate and run the MkDocs build, replacing the site atomically.

The site is built into a fresh folder next to the target and swapped in only when the whole build
succeeded, so a failed build (bad data, a broken template, a strict-mode warning) leaves the last good
site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from scoring.inputs.load import load_project
from scoring.method.engine import run_all
from scoring.publish.sitegen import BUNDLE, MARKER


@dataclass(frozen=True)
class Summary:
    site_dir: Path
    editions: dict[str, tuple[int, int]]  # edition -> (ranked, not ranked)
    pages: int
    files: int
    seconds: float

    def __str__(self) -> str:
        editions = "; ".join(f"{e}: {r} ranked, {u} not ranked" for e, (r, u) in self.editions.items())
        return (
            f"built {self.site_dir} in {self.seconds:.1f} s: {len(self.editions)} editions ({editions}); "
            f"{self.pages} pages, {self.files} files; strict mode, no warnings"
        )


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build(config_file: Path, data_dir: Path, indices_dir: Path, site_dir: Path | None = None) -> Summary:
    """Build the site into `site_dir` (default: `site_dir` of the MkDocs config), atomically."""
    started = time.perf_counter()
    project = load_project(data_dir, indices_dir)  # bad input stops here, with every problem listed
    with _environment(
        {"CYBERPOWER_DATA": str(data_dir.resolve()), "CYBERPOWER_INDICES": str(indices_dir.resolve())}
    ):
        config = load_config(str(config_file), strict=True)
        target = Path(site_dir if site_dir is not None else config.site_dir).resolve()
        root = Path(config.config_file_path).resolve().parent
        check_target(target, [root, Path(config.docs_dir), data_dir, indices_dir, root / "templates"])
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
        config.site_dir = str(staging)
        try:
            mkdocs_build(config)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    _swap(staging, target)
    pages = sum(1 for _ in target.rglob("index.html"))
    files = sum(1 for p in target.rglob("*") if p.is_file())
    assert (target / BUNDLE).exists()
    editions = {}
    for edition_id, result in run_all(project).items():
        ranked = int(result.overall["ranked"].sum())
        editions[edition_id] = (ranked, len(result.overall) - ranked)
    return Summary(target, editions, pages, files, time.perf_counter() - started)


class UnsafeTarget(Exception):
    """The site folder asked for would overwrite something that is not a built site."""


def check_target(target: Path, protected: list[Path]) -> None:
    """Refuse to replace a folder that holds sources, or one that a build did not make.

    A build replaces its target whole, so the target must not be (or contain) the project, the
    MkDocs source, the data, the definitions or the templates, nor lie inside one of the last four;
    and a non-empty existing target must carry the marker file that every build writes.
    """
    for place in (p.resolve() for p in protected):
        if target == place or target in place.parents:
            raise UnsafeTarget(f"refusing to build into {target}: it would replace {place}")
    for place in (p.resolve() for p in protected[1:]):
        if place in target.parents:
            raise UnsafeTarget(f"refusing to build into {target}: it lies inside {place}")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UnsafeTarget(
            f"refusing to build into {target}: it is not empty and holds no {MARKER} file, so it was not "
            "made by a build; empty it or choose another folder"
        )


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is; the old site is removed only after the new one is in place."""
    staging.chmod(0o755)
    if not target.exists():
        staging.rename(target)
        return
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
