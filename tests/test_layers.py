"""The package's layers import only downwards: inputs → method → outputs → pages → publish.

Read from the source with `ast`, so a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scoring"
LAYERS = ("inputs", "method", "outputs", "pages", "publish")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every `scoring...` import in a file; relative ones resolved."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - node.level])
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [f"{module}.{a.name}" for a in node.names]
            found += [(node.lineno, n) for n in [module, *names] if n.startswith("scoring")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("scoring")]
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def layer_violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _layer(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        if own is None:  # scoring/__init__.py and cli.py sit on top of every layer
            continue
        upward = {line: module for line, module in _imports(path) if (_layer(module) or 0) > own}
        problems += [
            f"{path.relative_to(PACKAGE.parent)}:{line}: {LAYERS[own]} imports {module}"
            for line, module in sorted(upward.items())
        ]
    return problems


def test_every_module_sits_in_a_layer() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "cli.py")]
    assert loose == []
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(
        LAYERS
    )


def test_layers_import_only_downwards() -> None:
    assert layer_violations() == []


def test_the_check_catches_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same check on a copy with one upward import planted: it must be found
    import shutil

    copy = tmp_path / "scoring"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "method" / "rank.py"
    target.write_text(target.read_text() + "\nfrom scoring.pages import charts  # planted\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", copy)
    assert [v.split(": ", 1)[1] for v in layer_violations()] == ["method imports scoring.pages.charts"]


def test_public_api() -> None:
    import scoring

    assert sorted(scoring.__all__) == sorted(["__version__", *scoring._API])
    for name in scoring.__all__:
        assert getattr(scoring, name) is not None
