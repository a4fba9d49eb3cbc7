"""The `cyberpower` command: validate, score and build.

Every user mistake ends as one line per problem on stderr (`path:line:column: message`) and exit code 2;
no traceback is shown for it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from scoring import __version__
from scoring.inputs.errors import ProjectError, display_path, printable

if TYPE_CHECKING:
    from scoring.outputs.agreement import Agreement

EXIT_PROBLEMS = 2
DATA = Path("data")  # the default of --data: the project root is the working directory


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cyberpower",
        description="National cyber-power scores, ranks and posture profiles (NCPI).",
        epilog="Run `cyberpower COMMAND --help` for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"cyberpower {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, example: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog="example:\n" + example,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "--data",
            type=Path,
            default=DATA,
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
        return sub

    def formats(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--format",
            choices=("table", "csv", "json"),
            default="table",
            help="output format (default: a readable table)",
        )

    def strict(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--strict",
            action="store_true",
            help="a published figure (facts.csv) the data no longer reproduces is an error (exit 2), "
            "not a warning",
        )

    validate = command(
        "validate",
        "check data/ and indices/, and which published figures reproduce",
        "  cyberpower validate --strict\n"
        "  data/ncpi-2022/facts.csv:8:4: warning: published figure not reproduced: KOR overall rank is 7, "
        "computed 8",
    )
    strict(validate)
    validate.set_defaults(run=_validate)

    score = command(
        "score",
        "print the overall results of one edition",
        "  cyberpower score ncpi-2022 --draws 200\n  cyberpower score ncpi-2020 --format csv > 2020.csv",
    )
    score.add_argument("edition", help="edition id, such as ncpi-2022")
    formats(score)
    score.add_argument(
        "--draws",
        type=_draws,
        default=None,
        metavar="N",
        help="rank intervals from N draws of the uncertainty analysis; 0 = off "
        "(default: the draws of the edition's [uncertainty] table)",
    )
    score.set_defaults(run=_score)

    build = command(
        "build",
        "validate, score and build the site",
        "  cyberpower build --strict --site-dir build/site",
    )
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
    strict(build)
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument(
        "--quiet", "-q", action="store_true", help="no progress and no summary; warnings and errors only"
    )
    loudness.add_argument(
        "--verbose", "-v", action="store_true", help="progress even on a pipe, and MkDocs's own messages"
    )
    build.set_defaults(run=_build)

    editions = command(
        "editions",
        "list the editions: countries, ranked, share estimated",
        "  cyberpower editions --format csv",
    )
    formats(editions)
    editions.set_defaults(run=_editions)

    country = command(
        "country",
        "one country in every edition: rank, score, posture, objectives",
        "  cyberpower country prk\n  cyberpower country KOR --format json",
    )
    country.add_argument("iso3", help="ISO 3166-1 alpha-3 code, any case, such as KOR")
    formats(country)
    country.set_defaults(run=_country)

    diff = command(
        "diff",
        "who moved between two editions (or data folders), and why",
        "  cyberpower diff ncpi-2020 ncpi-2022\n"
        "  cyberpower diff ncpi-2022 --data-b ../pull-request/data   # review an edit",
    )
    diff.add_argument("edition_a", metavar="EDITION_A", help="the edition before, such as ncpi-2020")
    diff.add_argument(
        "edition_b",
        metavar="EDITION_B",
        nargs="?",
        default=None,
        help="the edition after (default: EDITION_A, for comparing two data folders)",
    )
    diff.add_argument(
        "--data-b",
        type=Path,
        default=None,
        metavar="DIR",
        help="read EDITION_B from this data folder (default: --data), to review an edit",
    )
    diff.add_argument(
        "--indices-b",
        type=Path,
        default=None,
        metavar="DIR",
        help="read EDITION_B's definition from this folder (default: --indices)",
    )
    formats(diff)
    diff.set_defaults(run=_diff)

    explain = command(
        "explain",
        "a score taken apart: objectives, indicators, raw values",
        "  cyberpower explain KOR --edition ncpi-2020",
    )
    explain.add_argument("iso3", help="ISO 3166-1 alpha-3 country code, such as KOR")
    explain.add_argument(
        "--edition", default=None, help="edition id (default: the newest edition that lists the country)"
    )
    explain.set_defaults(run=_explain)

    audit = command(
        "audit",
        "the statistical audit of an edition: flags, remove-one shifts",
        "  cyberpower audit ncpi-2020",
    )
    audit.add_argument("edition", help="edition id, such as ncpi-2020")
    audit.set_defaults(run=_audit)
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
    if not args.data.is_dir():  # not a project: one line, not a problem for each missing file
        where = (
            f"no data/ folder in {os.getcwd()}: run from the project root, or pass --data DIR"
            if args.data is DATA
            else f"no folder {args.data} (given as --data)"
        )
        print(printable(f"cyberpower: {where}"), file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        return int(args.run(args))
    except ProjectError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        total = len(error.every_problem)  # a line may count the consequences of the line above it
        noun = "problem" if total == 1 else "problems"
        shown = "" if total == len(error.problems) else f", in {len(error.problems)} lines"
        print(f"cyberpower: {total} {noun} found{shown}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:  # `cyberpower score ... | head`
        return 0


def _validate(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method.engine import run_all
    from scoring.outputs import agreement

    project = load_project(args.data, args.indices)
    figures = agreement.check(project, run_all(project, draws=0))  # no country ranked is an error too
    _figure_warnings(figures, args.strict)
    editions = ", ".join(f"{e} ({len(d.countries)} countries)" for e, d in project.editions.items())
    print(f"ok: {len(project.editions)} editions valid: {editions}; {agreement.summary(figures)}")
    return 0


def _figure_warnings(figures: list[Agreement], strict: bool) -> None:
    """Print each published figure no longer reproduced as a warning; raise them as problems if strict."""
    from scoring.outputs import agreement

    warnings = agreement.warnings(figures)
    if strict and warnings:
        raise ProjectError([w.as_problem() for w in warnings])
    for warning in warnings:
        print(warning, file=sys.stderr)
    if warnings:
        noun = "warning" if len(warnings) == 1 else "warnings"
        print(f"cyberpower: {len(warnings)} {noun}; --strict makes them errors", file=sys.stderr)


def _score(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method import change
    from scoring.method.engine import run_all, with_intervals
    from scoring.outputs import export, report

    project = load_project(args.data, args.indices)
    if args.edition not in project.editions:
        return _unknown_edition(args.edition, project.editions)
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
    # progress lines on a terminal; only warnings and errors on a pipe or with --quiet
    progress = args.verbose or (sys.stderr.isatty() and not args.quiet)
    level = logging.DEBUG if args.verbose else logging.INFO if progress else logging.WARNING
    logging.basicConfig(level=level, format="%(message)s")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        summary = build(args.config, args.data, args.indices, args.site_dir, args.docs_dir, args.strict)
    except UnsafeTarget as error:
        print(printable(f"cyberpower: {error}"), file=sys.stderr)
        return EXIT_PROBLEMS
    except (MkDocsException, PolicyViolation, OSError) as error:  # OSError: disk full, read-only target
        print(
            printable(f"cyberpower: the site build failed; the previous site is untouched: {error}"),
            file=sys.stderr,
        )
        return 1
    _figure_warnings(list(summary.figures), strict=False)  # with --strict, build raised them already
    if not args.quiet:
        print(summary)
    return 0


def _editions(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method.engine import run_all
    from scoring.outputs import daily

    project = load_project(args.data, args.indices)
    sys.stdout.write(daily.editions(project, run_all(project, draws=0), args.format))
    return 0


def _country(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method.engine import run_all
    from scoring.outputs import daily

    project = load_project(args.data, args.indices)
    try:
        iso3 = daily.find_country(project.countries, args.iso3)
    except daily.UnknownCountry as error:
        print(f"cyberpower: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    sys.stdout.write(daily.country(project, run_all(project), iso3, args.format))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from scoring.inputs.load import load_project
    from scoring.method.engine import run_all
    from scoring.outputs import daily

    project_a = load_project(args.data, args.indices)
    two_folders = args.data_b is not None or args.indices_b is not None
    project_b = (
        load_project(args.data_b or args.data, args.indices_b or args.indices) if two_folders else project_a
    )
    edition_b = args.edition_b or args.edition_a
    for edition, project in ((args.edition_a, project_a), (edition_b, project_b)):
        if edition not in project.editions:
            known = ", ".join(project.editions)
            print(
                printable(
                    f"cyberpower: unknown edition '{edition}' in {project.data_dir} (editions: {known})"
                ),
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    if not two_folders and edition_b == args.edition_a:
        print(
            "cyberpower: diff needs two editions, or --data-b/--indices-b to compare one edition "
            "in two data folders",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    before = run_all(project_a, draws=0)[args.edition_a]
    after = run_all(project_b, draws=0)[edition_b]
    labels = (
        (display_path(project_a.data_dir / args.edition_a), display_path(project_b.data_dir / edition_b))
        if two_folders
        else (args.edition_a, edition_b)
    )
    sys.stdout.write(daily.diff(before, after, labels, args.format))
    return 0


# --- explain and audit: every number of a score taken apart ---------------------------------------------


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
