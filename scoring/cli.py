"""The `cyberpower` command: validate, score and build.

Every user mistake ends as one line per problem on stderr (`path:line:column: message`) and exit code 2;
no traceback is shown for it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from scoring import __version__
from scoring.inputs.errors import ProjectError, printable

EXIT_PROBLEMS = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cyberpower", description="National cyber-power scores, ranks and posture profiles (NCPI)."
    )
    parser.add_argument("--version", action="version", version=f"cyberpower {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--data",
            type=Path,
            default=Path("data"),
            metavar="DIR",
            help="folder of the CSV data (default: data)",
        )
        sub.add_argument(
            "--indices",
            type=Path,
            default=Path("indices"),
            metavar="DIR",
            help="folder of the index definitions (default: indices)",
        )

    common(commands.add_parser("validate", help="check everything under data/ and indices/"))
    score = commands.add_parser("score", help="print the overall results of one edition")
    score.add_argument("edition", help="edition id, such as ncpi-2022")
    score.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output format (default: a readable table)",
    )
    score.add_argument(
        "--draws",
        type=_draws,
        default=None,
        metavar="N",
        help="rank intervals from N draws of the uncertainty analysis; 0 = off "
        "(default: the draws of the edition's [uncertainty] table)",
    )
    common(score)
    build = commands.add_parser("build", help="validate, score and build the site")
    build.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the built site goes (default: site_dir in mkdocs.yml)",
    )
    build.add_argument(
        "--docs-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="also keep the complete MkDocs source the site was rendered from in DIR "
        "(a plain `mkdocs build -f DIR/mkdocs.yml` gives the same site)",
    )
    build.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="MkDocs configuration (default: mkdocs.yml)",
    )
    common(build)
    _explain_parsers(commands, common)
    return parser


def _draws(text: str) -> int:
    try:
        draws = int(text)
    except ValueError:
        draws = -1
    if not 0 <= draws <= 1_000_000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 0 to 1000000")
    return draws


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "score":
            return _score(args)
        if args.command in ("explain", "audit"):
            return _explain(args) if args.command == "explain" else _audit(args)
        return _build(args)
    except ProjectError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        noun = "problem" if len(error.problems) == 1 else "problems"
        print(f"cyberpower: {len(error.problems)} {noun} found", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:  # `cyberpower score ... | head`
        return 0


def _validate(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method.engine import run_all

    project = load_project(args.data, args.indices)
    run_all(project, draws=0)  # an edition in which no country can be ranked is an error too
    editions = ", ".join(f"{e} ({len(d.countries)} countries)" for e, d in project.editions.items())
    print(f"ok: {len(project.editions)} editions valid: {editions}")
    return 0


def _score(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method import change
    from scoring.method.engine import run_all, with_intervals
    from scoring.outputs import export, report

    project = load_project(args.data, args.indices)
    if args.edition not in project.editions:
        known = ", ".join(project.editions)
        print(printable(f"cyberpower: unknown edition '{args.edition}' (editions: {known})"), file=sys.stderr)
        return EXIT_PROBLEMS
    every = run_all(project, draws=0)  # the previous edition gives the rank and score change
    edition = project.editions[args.edition]
    results = with_intervals(every[args.edition], edition, args.draws)
    if args.draws and edition.spec.uncertainty is None:
        print(
            printable(f"cyberpower: {args.edition} declares no [uncertainty] table; no rank intervals"),
            file=sys.stderr,
        )
    previous = change.previous_of(every, args.edition)
    moved = change.movement(previous, results) if previous else None
    if args.format == "csv":
        sys.stdout.write(export.to_csv(export.overall_table(results, moved)))
    elif args.format == "json":
        sys.stdout.write(export.to_json(export.results_document(results, project.sources, None, moved)))
    else:
        sys.stdout.write(report.table(results))
    return 0


def _build(args: argparse.Namespace) -> int:
    import logging

    from mkdocs.exceptions import MkDocsException

    from scoring.publish.build import UnsafeTarget, build
    from scoring.publish.csp import PolicyViolation

    if not args.config.exists():
        print(printable(f"cyberpower: no MkDocs configuration at {args.config}"), file=sys.stderr)
        return EXIT_PROBLEMS
    # progress lines on a terminal; only warnings and errors otherwise
    logging.basicConfig(level=logging.INFO if sys.stderr.isatty() else logging.WARNING, format="%(message)s")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        summary = build(args.config, args.data, args.indices, args.site_dir, args.docs_dir)
    except UnsafeTarget as error:
        print(printable(f"cyberpower: {error}"), file=sys.stderr)
        return EXIT_PROBLEMS
    except (MkDocsException, PolicyViolation, OSError) as error:  # OSError: disk full, read-only target
        print(
            printable(f"cyberpower: the site build failed; the previous site is untouched: {error}"),
            file=sys.stderr,
        )
        return 1
    print(summary)
    return 0


# --- explain and audit: every number of a score taken apart ---------------------------------------------


def _explain_parsers(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    explain = commands.add_parser(
        "explain", help="a country's score taken apart: objectives, indicators, raw values and sources"
    )
    explain.add_argument("iso3", help="ISO 3166-1 alpha-3 country code, such as KOR")
    explain.add_argument(
        "--edition", default=None, help="edition id (default: the newest edition that lists the country)"
    )
    common(explain)
    audit = commands.add_parser(
        "audit", help="the statistical audit of one edition: flags, correlations, remove-one rank shifts"
    )
    audit.add_argument("edition", help="edition id, such as ncpi-2020")
    common(audit)


def _unknown_edition(edition: str, known: Iterable[str]) -> int:
    print(
        printable(f"cyberpower: unknown edition '{edition}' (editions: {', '.join(known)})"), file=sys.stderr
    )
    return EXIT_PROBLEMS


def _explain(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method.engine import run
    from scoring.outputs.explain import decomposition

    project = load_project(args.data, args.indices)
    iso3 = args.iso3.upper()
    if args.edition is not None and args.edition not in project.editions:
        return _unknown_edition(args.edition, project.editions)
    listing = [e for e, d in project.editions.items() if iso3 in d.countries]
    edition = args.edition or (listing[-1] if listing else None)  # editions are oldest first
    if edition is None or edition not in listing:
        where = f"in {edition}" if edition else "in any edition"
        print(printable(f"cyberpower: no country '{args.iso3}' {where}"), file=sys.stderr)
        return EXIT_PROBLEMS
    result = run(project.editions[edition], project.countries)
    sys.stdout.write(decomposition(result, iso3))
    return 0


def _audit(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method import audit
    from scoring.method.engine import run
    from scoring.outputs.explain import audit_report

    project = load_project(args.data, args.indices)
    if args.edition not in project.editions:
        return _unknown_edition(args.edition, project.editions)
    edition = project.editions[args.edition]
    result = run(edition, project.countries)
    sys.stdout.write(audit_report(audit.analyse(edition, project.countries, result), result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
