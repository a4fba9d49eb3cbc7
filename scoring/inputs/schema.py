"""The CSV schemas of `data/`: one source of truth for validation and for `data/README.md`.

Each file has required columns in a fixed order, a key (columns whose values identify a row) and, per
column, a kind that says how the cells are checked. `python -m scoring.inputs.schema` prints the Markdown
reference that `data/README.md` embeds; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

BASES = ("published", "assessed", "estimated", "missing")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # how cells are checked: see load._check_cell
    description: str
    optional: bool = False  # the cell may be empty
    max_length: int = 0  # characters, for text kinds ("name", "prose"): what the site can show
    may_be_absent: bool = False  # the whole column may be left out of the file (then every cell is empty)


class _Named(Protocol):
    @property
    def name(self) -> str: ...


NamedT = TypeVar("NamedT", bound=_Named)


class ColumnLookup(Generic[NamedT]):
    """Column names and lookup by name for a file declared as a tuple of columns (here, and for the
    downloads in `scoring/outputs/columns.py`)."""

    columns: tuple[NamedT, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> NamedT:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class FileSchema(ColumnLookup[Column]):
    name: str  # path below data/, <edition> standing for an edition folder
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]


_BASIS = Column(
    "basis",
    "basis",
    "How the value was obtained: `published` (as the index authors published "
    "it), `assessed` (this project's analysts' own assessment, not the publisher's and not "
    "filled in by a model; cite it in `source`), `estimated` (filled in by this project's model; see "
    "the edition's METHOD.md) or `missing` (not measured; the unknown value is left empty).",
)
_SOURCE = Column("source", "source", "Id of the source in `data/sources.csv`.")
_ISO3 = Column("iso3", "iso3", "ISO 3166-1 alpha-3 code of the country; must be in `data/countries.csv`.")

# countries.csv `aliases`: what separates them, and each one's length limit (characters)
ALIAS_SEPARATOR, ALIAS_MAX_LENGTH = ";", 60

COUNTRIES = FileSchema(
    "countries.csv",
    "Every country of every edition.",
    (
        Column("iso3", "id3", "ISO 3166-1 alpha-3 code, upper case."),
        Column("name", "name", "English name, as shown on the site.", max_length=100),
        Column("short_name", "name", "Short name for charts and tables.", max_length=40),
        Column("region", "name", "Region, for grouping.", max_length=60),
        Column(
            "aliases",
            "name",
            "Other names a reader may search for, separated by `;` (such as `ROK; South Korea`): "
            f"shown on the country page and found by the site's search. Each alias is at most "
            f"{ALIAS_MAX_LENGTH} characters and may not be another country's code, name, short name or "
            "alias. The column may be left out.",
            optional=True,
            max_length=300,
            may_be_absent=True,
        ),
    ),
    ("iso3",),
)

SOURCES = FileSchema(
    "sources.csv",
    "Every source a value, fact or note refers to.",
    (
        Column("id", "id", "Short id, lower case with hyphens, used in `source` columns."),
        Column("title", "name", "Title of the work.", max_length=200),
        Column("publisher", "name", "Who published it.", max_length=200),
        Column(
            "url",
            "url",
            "Where it can be read (http or https); empty when there is no public address.",
            optional=True,
        ),
        Column("date", "date", "Publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD)."),
        Column("note", "prose", "What the source is used for.", optional=True, max_length=500),
    ),
    ("id",),
)

NOTES = FileSchema(
    "notes.csv",
    "Analysts' qualitative notes, shown on country pages.",
    (
        _ISO3,
        Column("edition", "edition", "Edition the note belongs to (an id from `indices/`)."),
        Column("note", "prose", "The note, plain text (shown escaped, never as HTML).", max_length=5000),
        Column("source", "source", "Id of the source in `data/sources.csv`."),
    ),
    ("iso3", "edition", "note"),
)

INDICATORS = FileSchema(
    "<edition>/indicators.csv",
    "Raw capability indicators, one value per country and indicator "
    '(editions with `data_level = "indicators"`).',
    (
        _ISO3,
        Column("indicator", "indicator", "Indicator id from the edition's `[indicators]` catalogue."),
        Column(
            "value",
            "number",
            "The raw value, in the catalogue's unit; empty when basis is `missing`.",
            optional=True,
        ),
        _BASIS,
        _SOURCE,
    ),
    ("iso3", "indicator"),
)

INTENTS = FileSchema(
    "<edition>/intents.csv",
    'Intent per country and objective, 0–1 (editions with `data_level = "indicators"`).',
    (
        _ISO3,
        Column("objective", "objective", "Objective id from the edition's definition."),
        Column("intent", "intent", "Intent, 0–1."),
        _BASIS,
        _SOURCE,
    ),
    ("iso3", "objective"),
)

OBJECTIVES = FileSchema(
    "<edition>/objectives.csv",
    "Capability (0–100) and intent (0–1) per country and objective "
    '(editions with `data_level = "objectives"`).',
    (
        _ISO3,
        Column("objective", "objective", "Objective id from the edition's definition."),
        Column("capability", "capability", "Capability, 0–100; empty, with basis `missing`, when unknown."),
        Column("intent", "intent", "Intent, 0–1; empty, with basis `missing`, when unknown."),
        _BASIS,
        _SOURCE,
    ),
    ("iso3", "objective"),
)

# What a published figure can be: `<level>_<measure>`, the level `overall` (one figure per country) or
# `objective` (one per country and objective), the measure the results column it is compared with.
FACT_KINDS = {  # kind -> what its value is, for the column reference
    "overall_rank": "1 = highest",
    "overall_score": "0–100",
    "overall_capability": "the capability index, 0–100",
    "overall_intent": "the intent index, 0–1",
    "objective_rank": "1 = highest",
    "objective_score": "capability × intent, 0–100",
    "objective_capability": "0–100",
    "objective_above": "`iso3` ranks above `other` on the objective: places between them, at least this",
    "objective_rise": "`iso3` rose on the objective since the previous edition: places risen, at least this",
}


def _fact_kinds_text() -> str:
    return ", ".join(f"`{kind}` ({note})" for kind, note in FACT_KINDS.items())


FACTS = FileSchema(
    "<edition>/facts.csv",
    "Figures the index authors published (optional): checked against the "
    "computed results by the tests and shown on the site.",
    (
        Column("fact", "fact", "What was published, one of: " + _fact_kinds_text() + "."),
        _ISO3,
        Column("objective", "objective", "Objective id; empty for the `overall_` kinds.", optional=True),
        Column("value", "number", "The published figure."),
        Column(
            "tolerance",
            "number",
            "How far a computed figure may be from it and still agree; empty means 0.001. "
            "Ranks must match exactly unless given one: a rank with a tolerance is a range "
            "(5.5 ± 0.5: 5th or 6th).",
            optional=True,
        ),
        Column("sources", "sources", "Ids in `data/sources.csv`, separated by spaces."),
        Column(
            "other",
            "iso3",
            "The country `iso3` is compared with, for `objective_above`; empty for the other kinds.",
            optional=True,
        ),
        Column(
            "edition",
            "edition",
            "The edition the figure was published for (an id from `indices/`): the edition of the "
            "folder, so a facts.csv copied along with another edition's folder is caught, not checked "
            "against the wrong results.",
        ),
    ),
    ("fact", "iso3", "objective", "other"),
)

TOP_LEVEL = (COUNTRIES, SOURCES, NOTES)
EDITION_FILES = (INDICATORS, INTENTS, OBJECTIVES, FACTS)
# An edition's subfolder for the index authors' files as they published them (any names, any columns):
# the importer scripts read it, the loader never does.
RAW_FOLDER = "raw"


def markdown() -> str:
    """The Markdown reference of every file and column, for `data/README.md`."""
    lines: list[str] = []
    for schema in TOP_LEVEL + EDITION_FILES:
        lines += [
            f"### `{schema.name}`",
            "",
            schema.description,
            "",
            f"Key: {', '.join(f'`{k}`' for k in schema.key)} (no two rows share it).",
            "",
            "| column | required | meaning |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| `{c.name}` | {'no' if c.optional else 'yes'} | {c.description}"
            f"{f' At most {c.max_length:,} characters.' if c.max_length else ''} |"
            for c in schema.columns
        ]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
