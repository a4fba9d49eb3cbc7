"""Results that cost seconds to compute, kept on disk by the content they were computed from.

The audit's remove-one test scores each edition again once per indicator and objective (46 runs for the
shipped data, about half of a build's generation time). Its result depends only on the edition's input
files and on the method code, so it is cached under a key made of exactly those: a warm build, or a
preview after an edit to another edition, reuses it, and any change to the data, the definition or the
code of `scoring/method/` computes it again. The cache folder is the build's own (`build/.cache`); a
file that cannot be read back is computed again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from scoring import __version__

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent.parent
_METHOD = _PACKAGE / "method"
# the libraries whose versions shape the pages and the chart specifications
LIBRARIES = ("altair", "jinja2", "markupsafe", "numpy", "pandas", "pycountry")


def digest(files: list[Path], root: Path | None = None) -> str:
    """sha256 of the files' names (relative to `root`) and contents."""
    total = hashlib.sha256()
    for path in files:
        name = path.relative_to(root).as_posix() if root else path.name
        total.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()


@functools.cache
def _method_code() -> str:
    return digest(sorted(_METHOD.glob("*.py")))


@functools.cache
def package_code() -> str:
    """sha256 of the code of the whole `scoring` package, as this process loaded it (once: code that
    changes while the preview runs is not the code that runs)."""
    return digest(sorted(_PACKAGE.rglob("*.py")), _PACKAGE)


def edition_inputs(inputs: dict[str, str], data_dir: Path, indices_dir: Path, edition: str) -> dict[str, str]:
    """The hashes (of `sitegen.input_hashes`) of the files one edition's results are computed from."""
    data, indices = data_dir.name, indices_dir.name
    wanted = (f"{data}/countries.csv", f"{indices}/{edition}.toml")
    return {k: v for k, v in inputs.items() if k in wanted or k.startswith(f"{data}/{edition}/")}


def _path(cache: Path, kind: str, inputs: dict[str, str]) -> Path:
    key = hashlib.sha256(
        json.dumps([__version__, _method_code(), inputs], sort_keys=True).encode()
    ).hexdigest()
    return cache / kind / f"{key}.pickle"


def holds(cache: Path | None, kind: str, inputs: dict[str, str]) -> bool:
    """Whether `cached` would read its value from the cache."""
    return cache is not None and _path(cache, kind, inputs).is_file()


def cached(
    cache: Path | None, kind: str, inputs: dict[str, str], compute: Callable[[], T], keep: bool = False
) -> T:
    """`compute()`, or what it returned before for the same inputs and method code. With `keep`, the
    value is kept in this process too (the last few): the same object is returned again, which is what
    parts derived from it are kept by (`method.memo.kept`)."""
    if cache is None:
        return compute()
    path = _path(cache, kind, inputs)
    if keep and path in _kept:
        _kept.move_to_end(path)
        return cast(T, _kept[path])
    value = _cached(path, compute)
    if keep:
        _kept[path] = value
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


KEPT = 16  # values `cached` keeps in this process (the audits: two a build for the shipped data)
_kept: OrderedDict[Path, object] = OrderedDict()


def _cached(path: Path, compute: Callable[[], T]) -> T:
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # type: ignore[no-any-return,unused-ignore]  # our own file, by key
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def write_atomically(path: Path, content: bytes) -> None:
    """Write a cache file under a name of its own, then rename it into place: builds running at once
    never read half a file nor take each other's partial file away."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(partial, path)
