"""What every chart shares: the `Chart` record, colours, the finishing touches of a spec, and the
`Family` that builds a kind of chart's spec with Altair once and binds each chart's data into it."""

from __future__ import annotations

import functools
import json
import math
import textwrap
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias, TypeVar, cast

import altair as alt
import numpy as np
import pandas as pd
from altair.utils.schemapi import debug_mode
from altair.vegalite.v6.api import _dataset_name

from scoring.method.engine import Results
from scoring.method.memo import per_results
from scoring.outputs import export
from scoring.outputs.text import digits, place
from scoring.pages.images import geographic

POSTURE_COLOURS = {"attack-heavy": "#c0392b", "balanced": "#7f8c8d", "defensive": "#2471a3"}
OBJECTIVE_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"]
WIDTH = "container"
T = TypeVar("T")
Data: TypeAlias = pd.DataFrame | alt.NamedData  # a chart's rows, or (in a `Family`'s structure) a placeholder
# ticks of a 0–100 axis: every ten (left to itself, Vega-Lite crowds "95 100" at the end)
TENS = alt.Axis(values=list(range(0, 101, 10)))


@dataclass(frozen=True)
class TableLink:
    """A column of a chart's table whose cells link to pages of one `kind` ("country", "objective"),
    as the chart's marks do: a cell links where the marks whose `field` holds its text link (`url`)."""

    column: str
    kind: str
    field: str


# what a chart's table links unless the chart says otherwise: the countries and the objectives it names
TABLE_LINKS = (
    TableLink("country", "country", "country"),
    TableLink("objective", "objective", "objective_name"),
)


@dataclass(frozen=True)
class Chart:
    id: str  # unique on the site; also the SVG file name
    title: str
    description: str  # what the chart shows, for screen readers and the alt text
    spec: dict[str, Any]  # Vega-Lite
    table: pd.DataFrame  # the same data, shown as an accessible table
    # which of the table's columns link, and where: see `table_links`
    links: tuple[TableLink, ...] = field(default=TABLE_LINKS, kw_only=True)

    @functools.cached_property
    def csv(self) -> bytes:
        """The data the chart shows (its table) as a CSV download: made once per chart, which a page
        reused after an edit (`pages.render`) brings along."""
        return export.to_csv(self.table).encode("utf-8")

    @property
    def geographic(self) -> bool:
        """Whether the chart is a map, which the browser draws with map.js (`images.geographic`)."""
        return geographic(self.spec)

    def table_links(self) -> dict[str, list[str | None]]:
        """Per linked column of the table (`links`), each cell's link (a `page_url`, from the site's
        root) or None: the page the chart's marks of the same name link to, so that a keyboard or screen
        reader reaches from the table every page a pointer reaches from the chart. A name whose marks
        link to two pages, or to a page of another kind, links nowhere."""
        datasets = self.spec.get("datasets", {}).values()  # the rows of every mark (and the map's shapes)
        rows = [
            row for values in datasets if isinstance(values, list) for row in values if isinstance(row, dict)
        ]
        found: dict[str, list[str | None]] = {}
        for link in self.links:
            if link.column not in self.table.columns:
                continue
            kind = page_url(link.kind, "x").removesuffix("x/")  # how the kind's URLs start ("countries/")
            urls: dict[str, set[str]] = {}
            for row in rows:
                name, url = row.get(link.field), row.get("url")
                if isinstance(name, str) and isinstance(url, str) and url.startswith(kind):
                    urls.setdefault(name, set()).add(url)
            found[link.column] = [
                next(iter(urls[str(v)])) if len(urls.get(str(v), ())) == 1 else None
                for v in self.table[link.column]
            ]
        return found

    def json(self) -> str:
        """The spec as JSON that is safe inside a <script> element (no '<', '>' or '&' as such)."""
        text = json.dumps(self.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


VALIDATE = False  # schema validation costs ~40 ms a spec; the tests validate every kind of chart
# Bind each chart's data into its family's spec (see `Family`); False builds every chart with Altair
# from its own data frames, the reference the bound specs must equal (tests/test_charts.py).
BIND = True


def finish(chart: alt.TopLevelMixin, title: str, description: str) -> dict[str, Any]:
    """The spec of an Altair chart, with the site's title, description, look and sizing."""
    return _dress(chart.properties(description=description).to_dict(validate=VALIDATE), title, description)


def _dress(spec: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    spec["description"] = description
    # on two lines at the first ": " ("National Cyber Power Index 2022" / "overall score"), so that a
    # phone-wide chart does not cut off which edition (or country) it shows
    spec["title"] = {
        "text": _title_text(title),
        "anchor": "start",
        "limit": {"expr": "width"},
        # a phone leaves the plot ~230 px: a smaller title fits "National Cyber Power Index 2022" uncut
        "fontSize": {"expr": "width < 320 ? 11 : 13"},
    }
    spec["config"] = {"view": {"stroke": None}, "axis": {"labelLimit": 160}, "background": "transparent"}
    spec["autosize"] = {"type": "fit-x", "contains": "padding", "resize": True}
    return spec


PHONE_TITLE = 34  # characters of an 11 px title line that fit a phone-wide plot (~230 px)


def _title_text(title: str) -> str | list[str]:
    """The title's lines: "Edition: what" on two lines, the second wrapped at spaces into lines of at
    most PHONE_TITLE characters, which a phone-wide plot shows whole (Vega cuts a line at the plot's
    width: "North Korea, objective scores agains…"). The same lines at every width: Vega lays a chart
    out for its title's lines once, so a title that gained a line on a phone ran off the top."""
    lines = title.split(": ", 1)
    if len(lines) == 1:
        return title
    return [lines[0], *textwrap.wrap(lines[1], PHONE_TITLE, break_long_words=False)]


class Family:
    """One kind of chart (a ranking, a profile, ...): `build(*frames, **params)` makes its Altair chart.

    Altair takes ~15 ms to build and serialise a chart, most of it spent on the chart's structure
    (encodings, scales, schema copies), which a kind of chart shares across countries and editions.
    So `spec` asks Altair for the structure once per set of `params` (remembered across builds, for
    the live preview), with a placeholder named dataset standing for each data frame, and binds the
    frames' rows into a copy of it: inline under the name Altair gives them (a hash of the rows), as
    Altair itself would. The result equals `finish(build(*frames, **params), title, description)`.

    `params` are what shapes the chart other than its rows (the objective names in order, a domain, a
    height): hashable values, tuples for lists. `texts` are texts the chart shows as they are, in its
    strings (an objective's name in an axis title): the structure is built with a placeholder for each,
    then each chart's own text put in, so that charts that differ only in such text share one.
    """

    made: ClassVar[list[Family]] = []  # every family, whose structures `forget` drops

    def __init__(self, build: Callable[..., alt.TopLevelMixin]) -> None:
        self.build = build
        self.structure = functools.lru_cache(maxsize=128)(self._structure)
        Family.made.append(self)

    @classmethod
    def forget(cls) -> None:
        """Drop every family's structures: the next chart is built as in a new process."""
        for family in cls.made:
            family.structure.cache_clear()

    def spec(
        self,
        frames: Sequence[pd.DataFrame],
        title: str,
        description: str,
        texts: dict[str, str] | None = None,
        **params: Hashable,
    ) -> dict[str, Any]:
        """The chart's Vega-Lite spec (a new dict, the caller's to change)."""
        texts = texts or {}
        if not (BIND and _inlined_by_default()):
            return finish(self.build(*frames, **texts, **params), title, description)
        text = self.structure(len(frames), tuple(params.items()), tuple(sorted(texts)))
        for name, value in texts.items():  # in a JSON string: escaped as one
            text = text.replace(json.dumps(_placeholder(name))[1:-1], json.dumps(value)[1:-1])
        datasets: dict[str, Any] = {}
        for i, frame in enumerate(frames):
            placeholder = json.dumps(_placeholder(i))
            if placeholder in text:  # Altair inlines only the data a chart uses
                values = inline_values(frame)
                name = _dataset_name(values)  # type: ignore[arg-type]  # any JSON value will do
                datasets[name] = values
                text = text.replace(placeholder, json.dumps(name))
        spec = json.loads(text)
        if datasets:
            spec["datasets"] = {**spec.get("datasets", {}), **datasets}
        return _dress(spec, title, description)

    def _structure(
        self, frames: int, params: tuple[tuple[str, Hashable], ...], texts: tuple[str, ...] = ()
    ) -> str:
        data = (alt.NamedData(name=_placeholder(i)) for i in range(frames))
        # Altair also validates each schema object as it is made (its debug mode): as VALIDATE says
        # (measured: the shipped site's 34 structures, 0.77 → 0.68 s)
        with debug_mode(VALIDATE):
            chart = self.build(*data, **{name: _placeholder(name) for name in texts}, **dict(params))
            return json.dumps(chart.to_dict(validate=VALIDATE))


def _placeholder(what: int | str) -> str:
    # the name of the dataset that stands for frame i, or what stands for a text: one no chart text can
    # take (the inputs refuse control characters)
    return f"\x00frame {what}\x00" if isinstance(what, int) else f"\x00text {what}\x00"


def _inlined_by_default() -> bool:
    # the binding does what Altair's default data transformer does: rows inline, named by their hash
    transformers = alt.data_transformers
    return transformers.active == "default" and not transformers.options and transformers.consolidate_datasets


MAX_ROWS = 5000  # the default transformer's limit; larger frames go through Altair (which refuses them)


def inline_values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as Altair inlines them (`to_values` after `sanitize_pandas_dataframe`: numpy
    numbers as Python numbers, NaN, infinities and missing values as None), without Altair's per-column
    pandas copies. Frames with columns of other kinds (dates, categories, Float64) go through Altair."""
    names = list(frame.columns)
    simple = (
        0 < len(names) == len(set(names))
        and all(isinstance(n, str) for n in names)
        and not isinstance(frame.index, pd.MultiIndex)
        and len(frame) <= MAX_ROWS
    )
    columns = [_plain_values(frame[name]) for name in names] if simple else [None]
    if any(values is None for values in columns):
        transform = alt.data_transformers.get()
        assert transform is not None  # Family.spec binds only under the default transformer
        return cast("list[dict[str, Any]]", transform(frame)["values"])
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _plain_values(column: pd.Series) -> list[Any] | None:
    # a column's values as Altair's sanitiser leaves them, or None for a kind left to Altair
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
    if kind == "f":
        array = column.to_numpy()
        return [v if ok else None for v, ok in zip(array.tolist(), np.isfinite(array).tolist(), strict=True)]
    if kind in ("i", "u", "b"):
        return list(column.to_numpy().tolist())
    if kind == "O":
        values = column.to_list()
        nan = [type(v) is float and math.isnan(v) for v in values]
        values = [None if missing else v for v, missing in zip(values, nan, strict=True)]
    elif str(column.dtype) in _NULLABLE:  # no NaN in these, only <NA>
        values = column.to_numpy(dtype=object, na_value=None).tolist()
    else:
        return None
    return values if all(type(v) in _PLAIN for v in values) else None


_PLAIN = {str, int, float, bool, type(None)}
_NULLABLE = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "boolean"}


def objective_names(results: Results) -> dict[str, str]:
    return {o.id: o.name for o in results.spec.objectives}


def objective_order(results: Results) -> tuple[str, ...]:
    """The objectives' names in the definition's order: how every chart sorts them."""
    names = objective_names(results)
    return tuple(names[o] for o in results.spec.objective_ids)


# How a chart marks values that are not the publisher's figures, by their basis (as in the data): a
# model's estimate, or this project's analysts' own assessment. Published values are not marked.
MARKS = {"estimated": "estimate", "assessed": "assessed"}
NOUNS = {"estimated": "estimates", "assessed": "the analysts' assessments"}
LABELS = {"estimated": "est.", "assessed": "assessed"}  # after a rank or a score in a table: "17 est."
Basis: TypeAlias = tuple[str, ...]  # the bases of MARKS among a chart's values, in MARKS' order
PUBLISHED: Basis = ()  # every value as published


def basis_of(*columns: Iterable[object]) -> Basis:
    """What the values of `columns` (of `basis` or `rank_basis`) rest on, as a chart marks them:
    ("estimated",), ("assessed",), both (an edition of both kinds) or () (all published)."""
    found = {b for column in columns for b in column}
    return tuple(b for b in MARKS if b in found)


def basis_mark(basis: Basis) -> str:
    """What follows a title whose values rest on `basis`: " (estimate)", " (assessed)", " (estimate or
    assessed)", or nothing for published values. The one rule every chart marks its values by."""
    return f" ({' or '.join(MARKS[b] for b in basis)})" if basis else ""


def marked(title: str, basis: Basis) -> str:
    """`title`, marked by what its values rest on (`basis_mark`)."""
    return title + basis_mark(basis)


def basis_noun(basis: Basis) -> str:
    """What values resting on `basis` are, for a description: "estimates", "the analysts' assessments"
    or both; "" for published values."""
    return " or ".join(NOUNS[b] for b in basis)


def basis_clause(basis: Basis, subject: str) -> str:
    """What a chart's description adds about `subject` resting on `basis`: "; scores are estimates",
    "; scores are the analysts' assessments"; "" for published values."""
    return f"; {subject} are {basis_noun(basis)}" if basis else ""


def places(published: int, basis: Basis, unit_scale: bool = False) -> int:
    """Decimals to show a value with (`digits`): an assessed value, like an estimate, with no more than
    a judgement has (none on 0–100, one on 0–1); a published one with `published`."""
    return digits(published, bool(basis), unit_scale)


def rank_labels(ranks: pd.Series, bases: pd.Series) -> list[str | None]:
    """Ranks as the tables show them: "17 est." where the rank is an estimate, "17 assessed" where it
    rests on the analysts' assessed values, "3" where published, None where there is no rank."""
    return [None if pd.isna(r) else f"{int(r)}{label(b)}" for r, b in zip(ranks, bases, strict=True)]


def label(basis: object) -> str:
    """What follows a rank or a score in a table, by its basis: " est.", " assessed" or nothing."""
    return f" {LABELS[basis]}" if isinstance(basis, str) and basis in LABELS else ""


def number_tooltip(
    field: str, decimals: int, basis: Basis, title: str | None = None, signed: bool = False
) -> alt.Tooltip:
    """The tooltip of a number with `decimals` decimals, its title (the field's name if None) marked by
    what the value rests on (`basis_mark`)."""
    named = marked(title or field, basis) if title is not None or basis else alt.Undefined
    return alt.Tooltip(f"{field}:Q", format=f"{'+' if signed else ''}.{decimals}f", title=named)


def basis_columns(table: pd.DataFrame, decimals: dict[str, int | None], basis: Basis) -> pd.DataFrame:
    """The table of an edition with estimated or assessed values: each column of `decimals` headed
    "... (estimate)" (or "(assessed)", `basis_mark`) and its values shown as text with that many
    decimals (None: as they are), so that the page, the CSV and a screen reader give no more digits
    than the values have; missing values stay missing. Published values (`basis` ()) are left as they are."""
    if not basis:
        return table
    shown = table.copy()
    for column, count in decimals.items():
        if count is not None:
            shown[column] = [None if pd.isna(v) else _decimals(float(v), count) for v in shown[column]]
    return shown.rename(columns={c: marked(c, basis) for c in decimals})


def _decimals(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0" for -0.2


def page_url(kind: str, id: str = "") -> str:
    """The URL of a registry page from the site's root ("countries/prk/", "objectives/defense/"): what
    a mark that stands for a country or objective links to (its `href`). charts.js resolves it against
    the site's root, which it knows from its own URL, so one spec serves every page that embeds the chart
    and the links hold wherever the site is served (under /cyberpower/ too). The path is the registry's
    (`Page.path`); tests check that every chart's links land on pages the registry created."""
    # imported here: the registry imports the page contexts, which import the charts
    from scoring.pages.registry import Page

    path = Page(kind, id, "", "", context=lambda: None).path
    return path.removesuffix("index.md") if path.endswith("index.md") else path.removesuffix(".md") + "/"


def country_urls(iso3s: pd.Series) -> list[str]:
    """`page_url("country", iso3)` of each code."""
    return [page_url("country", str(i)) for i in iso3s]


LINK = alt.Href("url:N")  # the encoding of a mark's link: the `url` column of its rows (`page_url`)


@per_results
def objective_places(results: Results) -> pd.Series:
    """Each row of `results.objectives`: its rank on the objective in words, shared ranks marked and a
    tie at a score of 0 counted ("tied 4th (27 countries at 0)"); None where there is no rank. A rank
    is shared when another ranked country has it."""
    rows = results.objectives
    cohort = rows[rows["iso3"].isin(results.ranked.index)]
    sharing = cohort.groupby(["objective", "rank"]).size().rename("sharing")
    counts = rows.join(sharing, on=["objective", "rank"])["sharing"].fillna(0).astype(int)
    return pd.Series(
        [
            None if pd.isna(r) else place(int(r), n, s)
            for r, n, s in zip(rows["rank"], counts, rows["score"], strict=True)
        ],
        index=rows.index,
        dtype=object,
    )


# A Vega signal that charts.js sets to true in Material's dark (slate) palette; false in the static images.
# For a colour a dark page needs that the dark Vega config cannot give: one the spec sets on a mark.
DARK_MODE = "dark"


def dark_mode() -> alt.Parameter:
    """The `DARK_MODE` parameter, for a chart whose colours depend on it (`in_dark`)."""
    return alt.param(name=DARK_MODE, value=False)


def in_dark(light: str | float, dark: str | float) -> alt.ExprRef:
    """A mark property: `light` in the light palette and the static image, `dark` in the dark one."""
    return alt.ExprRef(f"{DARK_MODE} ? {json.dumps(dark)} : {json.dumps(light)}")


def posture_colour() -> alt.Color:
    """Colour by posture class, the same three colours on every chart."""
    return alt.Color(
        "posture:N",
        title="Posture",
        scale=alt.Scale(domain=list(POSTURE_COLOURS), range=list(POSTURE_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )
