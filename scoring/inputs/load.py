"""Loading a project: the index definitions and every CSV under `data/`, checked once, at the boundary.

`load_project(data_dir, indices_dir)` reads each file once and returns a frozen `Project` of typed
DataFrames, or raises a `ProjectError` listing every problem found in every file, each with its path,
line and column. Nothing here writes to disk.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import pandas as pd

from scoring.inputs.cells import Context, check_cell
from scoring.inputs.cells import number as parse_number
from scoring.inputs.csvfile import Row, Table, read_table
from scoring.inputs.definition import load_spec
from scoring.inputs.errors import Collector, DefinitionError, ProjectError, display_path
from scoring.inputs.files import project_roots
from scoring.inputs.layout import DATA_FILES, edition_csvs, edition_folders, spreadsheets
from scoring.inputs.spec import IndexSpec, with_given_capabilities
from scoring.inputs.text import NAME, text_problem

from .schema import (
    ALIAS_MAX_LENGTH,
    ALIAS_SEPARATOR,
    COUNTRIES,
    FACTS,
    NOTES,
    RAW_FOLDER,
    SOURCES,
    FileSchema,
)


@dataclass(frozen=True)
class EditionData:
    """One edition's definition and data, as read, in the one shape both kinds of edition take.

    Values are floats, NaN where missing. `values` holds what capabilities come from, one row per
    country and capability input of `spec.capability_inputs()`: a raw indicator value, or, in an edition
    given per objective (data_level "objectives"), the objective's given capability (0–100) under the
    objective's id, which `spec` (converted by `with_given_capabilities`) marks as given. So the method
    code reads every edition the same way.
    """

    spec: IndexSpec
    values: pd.DataFrame  # iso3, indicator, value, basis, source
    intents: pd.DataFrame  # iso3, objective, intent, basis, source
    facts: pd.DataFrame  # fact, iso3, objective, value, tolerance, sources

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted(self.intents["iso3"].unique()))


@dataclass(frozen=True)
class Project:
    """Everything under `data/` and `indices/`, checked."""

    countries: pd.DataFrame  # index iso3: name, short_name, region, aliases (a tuple of str)
    sources: pd.DataFrame  # index id: title, publisher, url, date, note
    notes: pd.DataFrame  # iso3, edition, note, source
    editions: dict[str, EditionData]  # by edition id, oldest first
    data_dir: Path = field(compare=False, default=Path("data"))
    indices_dir: Path = field(compare=False, default=Path("indices"))


def load_project(data_dir: Path, indices_dir: Path) -> Project:
    """Read and check the whole project; raise ProjectError with every problem found."""
    problems = Collector()
    specs = _load_specs(indices_dir, problems)
    defined = {p.stem for p in indices_dir.glob("*.toml")} if indices_dir.is_dir() else set()
    roots = project_roots(data_dir)
    before = len(problems.problems)
    countries_table = _read(data_dir / "countries.csv", COUNTRIES, problems, Context(), roots)
    for distinct in ("name", "short_name"):
        _check_distinct(countries_table, distinct, problems)
    _check_aliases(countries_table, problems)
    countries = _frame(countries_table, COUNTRIES)
    countries["aliases"] = countries["aliases"].map(aliases)
    sources = _frame(_read(data_dir / "sources.csv", SOURCES, problems, Context(), roots), SOURCES)
    context = Context(countries=set(countries["iso3"]), sources=set(sources["id"]), editions=defined)
    # what an unknown code may have meant: each country by its name, short name and aliases
    context.country_names = {r.iso3: (r.name, r.short_name, *r.aliases) for r in countries.itertuples()}
    if countries_table is None and len(problems.problems) > before:  # every country is unknown: one cause
        context.country_cause = problems.problems[before].place
    elif countries_table is not None:  # a row not read leaves its country unknown
        at = {(p.path, p.line): p.place for p in problems.problems[before:]}
        for row in countries_table.rows:
            if len(row.cells) != len(countries_table.header) and (countries_table.path, row.line) in at:
                context.country_causes.setdefault(row.cells[0], at[countries_table.path, row.line])
    for spec in specs.values():
        line, column = spec.locate(("edition", "sources"))
        for source in spec.sources:
            if source not in context.sources:
                problems.add(
                    spec.path, line, column, f"unknown source '{source}'", "add it to data/sources.csv"
                )

    editions: dict[str, EditionData] = {}
    with_folder = edition_folders(data_dir, indices_dir, specs.values(), defined, problems)
    spreadsheets(data_dir, problems, {s.id: s.data_level for s in specs.values()})
    for spec in sorted(specs.values(), key=lambda s: (s.year, s.id)):
        if spec.id in with_folder:
            edition = _edition(
                spec, data_dir / spec.id, indices_dir / f"{spec.id}.toml", problems, context, roots
            )
            if edition is not None:
                editions[spec.id] = edition
    notes = _frame(_read(data_dir / "notes.csv", NOTES, problems, context, roots, required=False), NOTES)
    problems.raise_if_any(ProjectError)
    return Project(
        countries.set_index("iso3"), sources.set_index("id"), notes, editions, data_dir, indices_dir
    )


def _load_specs(indices_dir: Path, problems: Collector) -> dict[str, IndexSpec]:
    specs: dict[str, IndexSpec] = {}
    if not indices_dir.is_dir():
        problems.add(display_path(indices_dir), 1, 1, "the indices folder does not exist")
        return specs
    roots = project_roots(indices_dir)
    for path in sorted(indices_dir.glob("*.toml")):
        try:
            specs[path.stem] = load_spec(path, roots)
        except DefinitionError as error:
            problems.problems.extend(error.problems)
    if not specs and not problems.problems:
        problems.add(display_path(indices_dir), 1, 1, "no index definitions (*.toml) found")
    return specs


# each edition's data as this process last loaded it without a problem, with what it was loaded from
# (`_edition`): after an edit, the preview reads and checks again only the editions it touched
_loaded: dict[str, tuple[str, EditionData]] = {}


def _edition(
    spec: IndexSpec,
    folder: Path,
    definition: Path,
    problems: Collector,
    base: Context,
    roots: tuple[Path, ...],
) -> EditionData | None:
    """`_load_edition`, or the edition as loaded before from the very same files, definition and
    context (the countries, sources and editions its cells may name)."""
    made_of = hashlib.sha256()
    for part in (
        repr((str(folder), str(definition), roots, sorted(base.countries), sorted(base.sources))),
        repr((sorted(base.editions), sorted(base.country_names.items()), base.country_cause)),
        repr(sorted(base.country_causes.items())),
    ):
        made_of.update(part.encode())
    for path in [definition, *sorted(folder.rglob("*"))]:
        if path.is_file():
            made_of.update(f"\n{path.relative_to(folder) if path != definition else ''}\n".encode())
            made_of.update(hashlib.sha256(path.read_bytes()).digest())
    key = made_of.hexdigest()
    if spec.id in _loaded and _loaded[spec.id][0] == key:
        return _loaded[spec.id][1]
    before = len(problems.problems)
    edition = _load_edition(spec, folder, problems, base, roots)
    if edition is not None and len(problems.problems) == before:
        _loaded[spec.id] = (key, edition)
    return edition


def _load_edition(
    spec: IndexSpec, folder: Path, problems: Collector, base: Context, roots: tuple[Path, ...]
) -> EditionData | None:
    context = replace(
        base, objectives=set(spec.objective_ids), indicators={i.id: i.unit for i in spec.indicators}
    )
    wanted = DATA_FILES[spec.data_level]
    known = set(edition_csvs(None))
    expected = set(edition_csvs(spec.data_level))
    for path in sorted(folder.glob("*.csv")):
        if path.name not in expected:
            reason = (
                f'data_level is "{spec.data_level}" in {spec.path}'
                if path.name in known
                else f"expected: {', '.join(sorted(expected))}"
            )
            problems.add(display_path(path), 1, 1, f"unexpected file {path.name} ({reason})")
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and p.name != RAW_FOLDER):
        stray = sorted(sub.rglob("*.csv"))
        if stray:  # a CSV that would silently not be read
            problems.add(
                display_path(stray[0]),
                1,
                1,
                f"unexpected folder {sub.name}/ in the edition folder: its CSVs are not read",
                f"move the edition's CSVs up into {display_path(folder)}/, "
                f"or the authors' original files into {display_path(folder / RAW_FOLDER)}/",
            )
    tables = {
        s.name.split("/")[1]: _read(folder / s.name.split("/")[1], s, problems, context, roots)
        for s in wanted
    }
    facts_table = _read(folder / "facts.csv", FACTS, problems, context, roots, required=False)
    _check_facts_edition(facts_table, spec, problems, base.editions)
    read = {name: table for name, table in tables.items() if table is not None}
    if len(read) < len(tables):
        return None
    frames = {name: _frame(table, schema) for (name, table), schema in zip(read.items(), wanted, strict=True)}

    if spec.has_indicator_level:
        _check_indicators(spec, read["indicators.csv"], read["intents.csv"], problems, context.countries)
        return EditionData(spec, frames["indicators.csv"], frames["intents.csv"], _frame(facts_table, FACTS))
    _check_complete(
        read["objectives.csv"],
        "objective",
        spec.objective_ids,
        problems,
        "objective",
        context.countries,
    )
    values, intents = _given_capabilities(frames["objectives.csv"])
    return EditionData(with_given_capabilities(spec), values, intents, _frame(facts_table, FACTS))


def _check_facts_edition(table: Table | None, spec: IndexSpec, problems: Collector, known: set[str]) -> None:
    """Published figures name their edition: rows naming another (known) edition are reported once
    per edition named, at its first row, so a facts.csv copied along with a folder is not checked
    against the wrong results. An unknown id is reported by the cell check."""
    if table is None:
        return
    at = table.column("edition")
    foreign: dict[str, list[Row]] = {}
    for row in _complete(table):
        named = row.cells[at - 1]
        if named != spec.id and named in known:
            foreign.setdefault(named, []).append(row)
    for named, rows in foreign.items():
        whole = len(rows) == len(table.rows)
        problems.add(
            table.path,
            rows[0].line,
            at,
            f"this facts.csv belongs to {named}, not {spec.id} (all {len(rows)} rows name {named})"
            if whole
            else f"{len(rows)} rows of this facts.csv belong to {named}, not {spec.id}",
            f"remove it, or replace its rows with figures published for {spec.id}"
            if whole
            else f"move them to {PurePosixPath(table.path).parent.parent / named}/facts.csv, or remove them",
        )


def _given_capabilities(objectives: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """objectives.csv split into the one shape: the given capabilities as values under the objective's
    id, and the intents; each row keeps its basis, source and line."""
    values = objectives[["iso3", "objective", "capability", "basis", "source", "line"]].rename(
        columns={"objective": "indicator", "capability": "value"}
    )
    intents = objectives[["iso3", "objective", "intent", "basis", "source", "line"]]
    return values.reset_index(drop=True), intents.reset_index(drop=True)


def _check_indicators(
    spec: IndexSpec,
    indicators: Table,
    intents: Table,
    problems: Collector,
    countries: set[str],
) -> None:
    present = {row.cells[indicators.column("indicator") - 1] for row in _complete(indicators)}
    for indicator in spec.used_indicators():
        if indicator not in present:
            line, column = spec.locate(("indicators", indicator))
            problems.add(
                spec.path,
                line,
                column,
                f"indicator '{indicator}' has no values in {indicators.path}",
                "add its rows (an empty value with basis 'missing' where it was not measured)",
            )
    _check_complete(
        indicators,
        "indicator",
        tuple(i for i in spec.used_indicators() if i in present),
        problems,
        "indicator",
        countries,
    )
    _check_complete(intents, "objective", spec.objective_ids, problems, "intent for objective", countries)
    with_values = {row.cells[indicators.column("iso3") - 1] for row in _complete(indicators)}
    with_intents = {row.cells[intents.column("iso3") - 1] for row in _complete(intents)}
    for table, others, what in (
        (indicators, with_intents, intents.path),
        (intents, with_values, indicators.path),
    ):
        iso3 = table.column("iso3")
        for row in _first_per(table, "iso3"):
            if row.cells[iso3 - 1] not in others and row.cells[iso3 - 1] in countries:
                problems.add(
                    table.path, row.line, iso3, f"country {row.cells[iso3 - 1]} has no rows in {what}"
                )


def _complete(table: Table) -> list[Row]:
    """The rows with as many fields as the header (the others are reported on their own)."""
    return [row for row in table.rows if len(row.cells) == len(table.header)]


def _first_per(table: Table, column: str) -> list[Row]:
    index = table.column(column) - 1
    seen: dict[str, Row] = {}
    for row in table.rows:
        if len(row.cells) == len(table.header):
            seen.setdefault(row.cells[index], row)
    return list(seen.values())


def _check_complete(
    table: Table, column: str, expected: tuple[str, ...], problems: Collector, what: str, countries: set[str]
) -> None:
    """Each country in `table` must have a row for every id in `expected`."""
    iso3, other = table.column("iso3") - 1, table.column(column) - 1
    have: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for row in table.rows:
        # a row with a field too many or too few still names its country and id: it is reported as is
        if len(row.cells) > max(iso3, other) and row.cells[iso3] in countries:
            have.setdefault(row.cells[iso3], set()).add(row.cells[other])
            first.setdefault(row.cells[iso3], row.line)
    for country, ids in have.items():
        missing = [i for i in expected if i not in ids]
        if missing:
            problems.add(
                table.path,
                first[country],
                1,
                f"country {country} has no {what} {', '.join(missing)}",
                "every country needs a row for each; leave the value empty with basis 'missing' if unknown"
                if what == "indicator"
                else "every country needs a row for each objective",
            )


def _read(
    path: Path,
    schema: FileSchema,
    problems: Collector,
    context: Context,
    roots: tuple[Path, ...],
    required: bool = True,
) -> Table | None:
    shown = display_path(path)
    if not os.path.lexists(path):  # a broken link is there, and reported as one
        if required:
            problems.add(shown, 1, 1, f"missing file {path.name}: {schema.description}")
        return None
    table = read_table(path, shown, problems, roots)
    if table is None or not _check_header(table, schema, problems):
        return None
    if required and not table.rows:
        problems.add(
            shown, 1, 1, "the file has a header but no data rows", f"add rows of {', '.join(schema.names)}"
        )
        return None
    _check_rows(table, schema, problems, context)
    return table


def _check_header(table: Table, schema: FileSchema, problems: Collector) -> bool:
    ok = True
    for number, name in enumerate(table.header, start=1):
        if not name:
            problems.add(
                table.path, 1, number, "a column has no name", "remove the trailing comma, or name the column"
            )
            ok = False
        elif name not in schema.names:
            guess = difflib.get_close_matches(name, schema.names, n=1)
            problems.add(
                table.path,
                1,
                number,
                f"unknown column '{name}'",
                f"did you mean '{guess[0]}'?" if guess else f"expected columns: {', '.join(schema.names)}",
            )
            ok = False
        elif table.header.index(name) != number - 1:
            problems.add(table.path, 1, number, f"column '{name}' appears twice")
            ok = False
    for name in schema.names:
        if name not in table.header and not schema.column(name).may_be_absent:
            problems.add(
                table.path, 1, 1, f"missing column '{name}'", f"expected columns: {', '.join(schema.names)}"
            )
            ok = False
    return ok


def _check_rows(table: Table, schema: FileSchema, problems: Collector, context: Context) -> None:
    key_at = [table.column(k) - 1 for k in schema.key]
    seen: dict[tuple[str, ...], int] = {}
    for row in table.rows:
        if len(row.cells) != len(table.header):
            problems.add(table.path, row.line, *_field_count(table, schema, row, context))
            continue
        cells = dict(zip(table.header, row.cells, strict=True))
        label = "row " + ", ".join(_short(cells[k]) for k in schema.key if cells[k])
        for number, name in enumerate(table.header, start=1):
            message = check_cell(schema.column(name), cells[name], cells, context)
            if message:
                text, hint = message
                # an unknown country is one mistake however often it is used, or one of countries.csv
                code = cells[name]
                cause = context.country_cause or context.country_causes.get(code, f"unknown country {code}")
                why = cause if schema.column(name).kind == "iso3" else ""
                problems.add(table.path, row.line, number, f"{text} ({label})", hint, why)
        key = tuple(row.cells[i] for i in key_at)
        if key in seen:
            problems.add(
                table.path,
                row.line,
                key_at[0] + 1,
                f"duplicate row for ({', '.join(k for k in key if k)}); first at line {seen[key]}",
                "keep one row per key",
            )
        else:
            seen[key] = row.line


def _field_count(table: Table, schema: FileSchema, row: Row, context: Context) -> tuple[int, str, str]:
    """(column, message, hint) for a row with more or fewer fields than the header; one field too many
    that joins with the next into a number (`0,6843` unquoted) is a decimal comma (where two could, the
    one that makes a valid row)."""
    counts = f"the row has {len(row.cells)} fields; the header has {len(table.header)}"
    numeric = {c.name for c in schema.columns if c.kind in ("number", "capability", "intent")}
    joins = []
    if len(row.cells) == len(table.header) + 1:
        for at, name in enumerate(table.header):
            whole, part = row.cells[at], row.cells[at + 1]
            if name in numeric and re.fullmatch(r"[+-]?\d+", whole) and re.fullmatch(r"\d+", part):
                joined = (*row.cells[:at], f"{whole}.{part}", *row.cells[at + 2 :])
                cells = dict(zip(table.header, joined, strict=True))
                valid = not any(check_cell(schema.column(n), cells[n], cells, context) for n in table.header)
                joins.append((not valid, at, name, whole, part))
    if joins:
        _, at, name, whole, part = min(joins)
        return (
            at + 1,
            f"{whole},{part} in column {name} looks like a decimal comma ({counts})",
            f"write {whole}.{part}: use '.' for decimals",
        )
    return (
        min(len(row.cells), len(table.header)) + 1,
        counts,
        "a comma inside a value needs the value in double quotes",
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_distinct(table: Table | None, column: str, problems: Collector) -> None:
    """No two rows share a value of `column` (ignoring case): pages and charts tell rows apart by it."""
    if table is None:
        return
    at, key_at = table.column(column), table.column("iso3")
    first: dict[str, Row] = {}
    for row in _complete(table):
        text = row.cells[at - 1]
        folded = unicodedata.normalize("NFKC", text).casefold()
        if folded and folded in first:
            other = first[folded]
            problems.add(
                table.path,
                row.line,
                at,
                f"{column} '{_short(text)}' of {row.cells[key_at - 1]} is also the {column} of "
                f"{other.cells[key_at - 1]} at line {other.line}",
                f"give each country its own {column}; the site tells countries apart by it",
            )
        first.setdefault(folded, row)


def aliases(cell: str) -> tuple[str, ...]:
    """The aliases of a countries.csv `aliases` cell, in order ("DPRK; North Korea" -> both)."""
    return tuple(a.strip() for a in cell.split(ALIAS_SEPARATOR) if a.strip())


def _check_aliases(table: Table | None, problems: Collector) -> None:
    """Each alias is a name of its own: no other country's code, name, short name or alias (ignoring
    case), so a search for it finds one country."""
    if table is None or "aliases" not in table.header:
        return
    at, limit = table.column("aliases"), COUNTRIES.column("aliases").max_length
    rows = _complete(table)
    taken: dict[str, tuple[str, str, int]] = {}  # folded text -> (iso3, what it is of it, line)
    for row in rows:
        iso3 = row.cells[table.column("iso3") - 1]
        for column in ("iso3", "name", "short_name"):
            text = _fold(row.cells[table.column(column) - 1])
            what = {"iso3": "the code", "name": "the name", "short_name": "the short name"}[column]
            taken.setdefault(text, (iso3, what, row.line))
    for row in rows:
        iso3, cell = row.cells[table.column("iso3") - 1], row.cells[at - 1]
        if not cell or text_problem("aliases", cell, limit, NAME):  # the cell's own check reports it
            continue
        items = [a.strip() for a in cell.split(ALIAS_SEPARATOR)]
        if not all(items):
            problems.add(
                table.path,
                row.line,
                at,
                f"aliases '{_short(cell)}' of {iso3} has an empty alias",
                f"separate aliases by a single '{ALIAS_SEPARATOR}', with none at the start or end",
            )
        for alias in filter(None, items):
            found = text_problem("alias", alias, ALIAS_MAX_LENGTH, NAME)
            owner, what, line = taken.get(_fold(alias), (iso3, "", 0))
            if found:
                problems.add(table.path, row.line, at, f"{found[0]} ('{_short(alias)}' of {iso3})", found[1])
            elif owner != iso3:
                problems.add(
                    table.path,
                    row.line,
                    at,
                    f"alias '{_short(alias)}' of {iso3} is {what} of {owner} at line {line}",
                    "remove it; a search for it must find one country",
                )
            elif what == "an alias":
                problems.add(
                    table.path,
                    row.line,
                    at,
                    f"alias '{_short(alias)}' of {iso3} is given twice",
                    "keep one",
                )
            else:
                taken.setdefault(_fold(alias), (iso3, "an alias", row.line))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _frame(table: Table | None, schema: FileSchema) -> pd.DataFrame:
    """The table as a DataFrame with numbers as floats (NaN where empty); an empty frame if None."""
    if table is None:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in schema.names})
    good = [row.cells for row in table.rows if len(row.cells) == len(table.header)]
    frame = pd.DataFrame(good, columns=list(table.header), dtype=object)
    frame = frame.reindex(columns=list(schema.names), fill_value="")  # a column left out: empty cells
    frame["line"] = [row.line for row in table.rows if len(row.cells) == len(table.header)]
    for column in schema.columns:
        if column.kind in ("number", "capability", "intent"):
            frame[column.name] = pd.to_numeric(
                frame[column.name].map(lambda t: parse_number(t) if t else None), errors="coerce"
            ).astype(float)
    return frame
