"""Benchmarks: scoring the shipped editions and a synthetic 200 × 8 × 40 edition, and the site build.

Usage: python scripts/benchmark.py [--build]
Prints the median and the fastest of several runs for each step (wall-clock, this machine).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.inputs.load import load_project
from scoring.method.engine import run, run_all
from tests.synthetic import synthetic_edition


def measure(name: str, step: Callable[[], object], repeats: int) -> None:
    step()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    median, best = statistics.median(times) * 1000, min(times) * 1000
    print(f"{name:<56} median {median:9.1f} ms   best {best:9.1f} ms   (n={repeats})")


def main(argv: list[str]) -> int:
    project = load_project(ROOT / "data", ROOT / "indices")
    measure("load and validate data/ and indices/", lambda: load_project(ROOT / "data", ROOT / "indices"), 10)
    countries = project.countries
    measure(
        "score ncpi-2020 (30 countries, 31 indicators)",
        lambda: run(project.editions["ncpi-2020"], countries),
        30,
    )
    measure(
        "score ncpi-2022 (30 countries, 8 objectives)",
        lambda: run(project.editions["ncpi-2022"], countries),
        30,
    )
    measure("score both editions", lambda: run_all(project), 30)
    edition, names = synthetic_edition(countries=200, objectives=8, indicators=40, seed=1)
    measure("score synthetic 200 countries × 8 objectives × 40 ind.", lambda: run(edition, names), 20)
    big, big_names = synthetic_edition(countries=2000, objectives=8, indicators=40, seed=2)
    measure("score synthetic 2000 countries × 8 objectives × 40 ind.", lambda: run(big, big_names), 5)
    if "--build" in argv:
        from scoring.inputs import mapdata
        from scoring.pages import render as pages
        from scoring.publish import sitegen
        from scoring.publish.build import build

        results = run_all(project)
        topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
        measure(
            "render all pages and chart specs (in memory)",
            lambda: pages.render(project, results, ROOT / "templates", topology),
            3,
        )
        paths = sitegen.Paths.for_config(ROOT / "mkdocs.yml")
        measure("generate (pages, downloads, SVG from warm cache)", lambda: sitegen.generate(paths), 3)
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "site"
            measure(
                "cyberpower build, warm chart cache",
                lambda: build(ROOT / "mkdocs.yml", ROOT / "data", ROOT / "indices", target),
                3,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
