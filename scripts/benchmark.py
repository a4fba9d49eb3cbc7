"""Benchmarks, as ratios to a baseline measured in the same run (these machines are shared and noisy).

Usage: python scripts/benchmark.py [--build] [--repeats N]

Scoring: the shipped editions and synthetic ones, in milliseconds (best and median of several runs).

Uncertainty: 10 000 draws of the Monte Carlo for 30 countries × 8 objectives (the shipped NCPI 2022, and
a synthetic indicator-level edition varying weights, normalisation and aggregation); target (issue 11)
≤ 3 s, and the cost of one draw as a share of one `engine.run` of the same edition.

--build: the site build against its baseline, a plain `mkdocs build` of the very same source folder
(written by `cyberpower build --docs-dir`, no hook): every figure is the best of N runs, then divided by
the baseline's best of N. Targets (issue 9): warm build ≤ 1.5×, cold build ≤ 2.5×, the generation step
after editing one value in one CSV ≤ 1 s, and a preview rebuild after such an edit ≤ 2× the baseline.
The generation step is everything before MkDocs renders, as the build and the preview run it: the
images of the charts the edit changed are made by helper processes meanwhile, so the step's figure
leaves them out; the line below it gives the same step waiting for them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from scoring.inputs.load import load_project
from scoring.inputs.spec import Uncertainty
from scoring.method import uncertainty as monte_carlo
from scoring.method.engine import run, run_all
from tests.synthetic import synthetic_edition


def timed(step: Callable[[], object], repeats: int, setup: Callable[[], object] | None = None) -> list[float]:
    """Seconds of each of `repeats` runs of `step` (after one warm-up run), `setup` before each."""
    times = []
    for n in range(repeats + 1):
        if setup:
            setup()
        started = time.perf_counter()
        step()
        if n:  # the first run warms imports and caches up
            times.append(time.perf_counter() - started)
    return times


def report(name: str, times: list[float]) -> None:
    median, best = statistics.median(times) * 1000, min(times) * 1000
    print(f"{name:<58} median {median:9.1f} ms   best {best:9.1f} ms   (n={len(times)})")


def scoring(repeats: int) -> None:
    project = load_project(ROOT / "data", ROOT / "indices")
    countries = project.countries
    report(
        "load and validate data/ and indices/",
        timed(lambda: load_project(ROOT / "data", ROOT / "indices"), 10),
    )
    for edition in ("ncpi-2020", "ncpi-2022"):
        report(f"score {edition}", timed(lambda e=edition: run(project.editions[e], countries), 30))
    report("score both editions", timed(lambda: run_all(project), 30))
    edition, names = synthetic_edition(countries=200, objectives=8, indicators=40, seed=1)
    report("score synthetic 200 countries × 8 objectives × 40 ind.", timed(lambda: run(edition, names), 20))
    big, big_names = synthetic_edition(countries=2000, objectives=8, indicators=40, seed=2)
    report("score synthetic 2000 countries × 8 objectives × 40 ind.", timed(lambda: run(big, big_names), 5))


def uncertainty(repeats: int) -> None:
    project = load_project(ROOT / "data", ROOT / "indices")
    synthetic, names = synthetic_edition(countries=30, objectives=8, indicators=40, seed=3)
    widest = Uncertainty(
        draws=1000,
        seed=1,
        weight_perturbation=0.25,
        normalisations=("minmax", "zscore", "rank"),
        aggregations=("arithmetic", "geometric"),
    )
    synthetic = replace(synthetic, spec=replace(synthetic.spec, uncertainty=widest))
    cases = [
        ("ncpi-2022: 30 × 8, estimate errors", project.editions["ncpi-2022"], project.countries),
        (
            "ncpi-2020: 29 × 7, 31 ind., 12 methods",
            project.editions["ncpi-2020"],
            project.countries,
        ),
        ("synthetic: 30 × 8, 40 ind., 12 methods", synthetic, names),
    ]
    draws = 10_000
    print("\nuncertainty (12 methods: 3 normalisations × 2 aggregations × 2 levels)")
    for name, edition, countries in cases:
        base = run(edition, countries)
        cohort = list(base.overall.index[base.overall["ranked"]])
        one_run = min(timed(lambda e=edition, c=countries: run(e, c), max(repeats, 10)))
        times = timed(lambda e=edition, c=cohort: monte_carlo.analyse(e, c, draws), repeats)
        report(f"{draws} draws, {name}", times)
        per_draw = min(times) / draws
        verdict = "ok" if min(times) <= 3.0 else "OVER the 3 s target"
        print(
            f"{'':<8}{per_draw * 1e6:.1f} µs per draw: one engine.run ({one_run * 1000:.1f} ms) "
            f"costs as much as {one_run / per_draw:,.0f} draws; target ≤ 3 s: {verdict}"
        )
    with_draws = timed(lambda: run_all(project), repeats)
    without = timed(lambda: run_all(project, draws=0), repeats)
    print(
        f"{'score both editions with their declared draws':<58} best {min(with_draws) * 1000:9.1f} ms   "
        f"{min(with_draws) / min(without):5.2f}× without intervals"
    )


def site(repeats: int) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from scoring.publish.build import build
    from scoring.publish.sitegen import Generated, Paths, forget, load_and_generate

    config = ROOT / "mkdocs.yml"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source, out = work / "source", work / "site"
        build(config, ROOT / "data", ROOT / "indices", out, source)  # also warms the chart cache

        def plain() -> None:
            mkdocs_build(load_config(str(source / "mkdocs.yml"), site_dir=str(work / "plain")))

        def ours() -> None:
            build(config, ROOT / "data", ROOT / "indices", out)

        def cold_cache() -> None:
            forget()
            os.environ["CYBERPOWER_CACHE"] = str(work / f"cold-{time.monotonic_ns()}")

        # a build as a new process runs it: with nothing kept of the builds before in this one (the
        # preview keeps what an edit did not touch), but with the cache on disk (warm) or without (cold)
        baseline = min(timed(plain, repeats))
        warm = min(timed(ours, repeats, setup=forget))
        cold = min(timed(ours, repeats, setup=cold_cache))
        os.environ.pop("CYBERPOWER_CACHE")

        # an analyst's edit: one value of one CSV, in a copy of the data, in a process that has built once
        data = work / "data"
        shutil.copytree(ROOT / "data", data)
        paths = Paths.for_project(ROOT, data, ROOT / "indices")
        load_and_generate(paths)
        objectives = data / "ncpi-2022" / "objectives.csv"
        original = objectives.read_text("utf-8")
        # a value no earlier edit wrote, so that no cache (they are keyed by content) already holds the
        # pages, audits and charts it gives: every edit is new to the build, as an analyst's is
        edits = iter(range(1, 10_000))
        unique = time.time_ns() % 10**6

        def edit() -> None:
            value = f"{40 + next(edits) / 100:.2f}{unique:06d}"
            objectives.write_text(original.replace("PRK,financial,50,1,", f"PRK,financial,{value},1,"))

        # the generation step as the build and the preview run it: up to where MkDocs starts, the changed
        # charts' images still being made by helper processes (they are finished before the next edit)
        pending: list[Generated] = []

        def finish_then_edit() -> None:
            for generated in pending:
                generated.image_files()
            pending.clear()
            edit()

        generation = min(
            timed(lambda: pending.append(load_and_generate(paths, wait=False)), repeats, finish_then_edit)
        )
        finish_then_edit()
        with_images = min(timed(lambda: load_and_generate(paths), repeats, setup=edit))
        rebuild = min(timed(lambda: build(config, data, ROOT / "indices", out), repeats, setup=edit))

    rows = [
        ("baseline: plain `mkdocs build` of the same source", baseline),
        ("cyberpower build, warm chart cache", warm),
        ("cyberpower build, cold chart cache", cold),
        ("generation after editing one CSV value (same process)", generation),
        ("  the same, waiting for the changed charts' images", with_images),
        ("whole rebuild after editing one CSV value", rebuild),
    ]
    print()
    for name, seconds in rows:
        print(f"{name:<58} best {seconds:6.2f} s   {seconds / baseline:5.2f}× baseline")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--build", action="store_true", help="also measure the site build against MkDocs")
    parser.add_argument("--repeats", type=int, default=3, help="runs per build figure (default 3)")
    args = parser.parse_args(argv)
    scoring(args.repeats)
    uncertainty(args.repeats)
    if args.build:
        site(args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
