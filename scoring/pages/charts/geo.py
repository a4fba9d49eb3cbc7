"""The world map: one edition's countries shaded by a metric the reader picks (overall score, each
objective's score, posture, capability, intent), with Europe enlarged below the world.

Countries are joined to an offline world topology by ISO numeric code. Each metric gets its own
binned colour scale, fitted to that metric's values in the edition (`nice_bins`); the colours, the
tooltips and the legend rows are computed here, so the browser only picks the metric's columns.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import pycountry

from scoring.method.engine import Results
from scoring.pages.charts.base import (
    DARK_MODE,
    POSTURE_COLOURS,
    WIDTH,
    Chart,
    Data,
    Family,
    basis_columns,
    basis_of,
    dark_mode,
    marked,
    objective_names,
    places,
    rank_labels,
)

ANTARCTICA = "010"
TOPOLOGY = "countries-110m"  # Natural Earth 1:110m, from world-atlas (site/assets/data)
# the map page's projected shapes (`geometry_spec`), which map.js colours: one file for every map
SERVED_SHAPES = "charts/map-shapes.svg"
UNKEYED = "-"  # its key of a shape the topology gives no id
NOT_IN_EDITION = "not in this edition"
GREY = "#9e9e9e"  # at half opacity: light grey on a light page, dark grey on a dark one
# ... and on a dark page at a fifth: 3.3:1 against "balanced" (#7f8c8d), which it would otherwise resemble
GREY_ALPHA = f"({DARK_MODE} ? 0.2 : 0.5)"
# Europe enlarged: the box (west, south, east, north in degrees) the inset is fitted to, Portugal to
# Ukraine and Crete to the North Cape; whatever reaches outside it (Russia, Turkey) is cut at its edge
EUROPE = (-10.0, 35.0, 40.0, 70.5)
# viridis (colour-blind safe), without its palest and darkest ends so that every bin stands out on a
# light and on a dark page; a metric's bins take evenly spaced colours from it, palest = lowest
VIRIDIS = ["#fde725", "#bddf26", "#7ad151", "#44bf70", "#22a884", "#21918c", "#2a788e", "#355f8d", "#414487"]
PALE, DARK = 0.9, 0.15  # the part of viridis used, as positions from 0 (darkest) to 1 (palest)
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)  # × 10^k: the bin widths a legend reads easily
BINS = (5, 6)  # bins wanted; 7 (or fewer than 5) only where no nice step gives 5 or 6
# the page's text colour (dark on a light page, light on a dark one; black in the static image)
TEXT = "currentColor"
LEGEND_ENTRY = 130  # px a legend entry takes across; entries wrap to the chart's width


def numeric_code(iso3: str) -> str:
    """ISO 3166-1 numeric code, the key of the topology's shapes ("410" for KOR)."""
    return str(pycountry.countries.lookup(iso3).numeric)


def placement(iso3s: list[str], topology: dict[str, Any], dots: pd.DataFrame | None) -> dict[str, str]:
    """How each country appears on the map: as a `shape`, as a `dot` (too small for the shapes, with
    a position in `dots`), or `absent`."""
    shapes = {str(g.get("id")) for g in topology["objects"]["countries"]["geometries"]}
    dotted = set(dots["iso3"]) if dots is not None else set()
    return {c: "shape" if numeric_code(c) in shapes else "dot" if c in dotted else "absent" for c in iso3s}


def nice_bins(low: float, high: float) -> list[float]:
    """Edges of equal-width bins covering `low`..`high`, on a nice step (1, 2, 2.5 or 5 × 10^k): the
    first edge ≤ low, the last ≥ high and less than one step above it. The finest step that gives 5 or
    6 bins; where none does (0.14–0.74: 7 bins of 0.1 or 4 of 0.2), 7 bins; else as many as can be
    (one bin for a single value: 7 gives 7–8)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high < low:
        raise ValueError(f"no bins for {low}..{high}")
    span = high - low or abs(high) or 1.0
    options: list[tuple[int, float, list[float]]] = []
    for power in range(math.floor(math.log10(span)) - 2, math.floor(math.log10(span)) + 2):
        for nice in NICE_STEPS:
            step = nice * 10.0**power
            first = math.floor(low / step + 1e-9)
            last = max(math.ceil(high / step - 1e-9), first + 1)
            edges = [_clean(i * step) for i in range(first, last + 1)]
            options.append((len(edges) - 1, step, edges))

    def preference(option: tuple[int, float, list[float]]) -> tuple[int, float]:
        count, step, _ = option
        if count in BINS or count == 7:
            return (0 if count in BINS else 1, step)  # the finest step
        # fewer bins (a narrow range, one value): as many as can be, on a step near a fifth of the range
        return (2 if count < BINS[0] else 3, -count + abs(math.log10(step * BINS[0] / span)) / 10)

    return min(options, key=preference)[2]


def _clean(value: float) -> float:
    # 0.30000000000000004 -> 0.3: edges are shown and compared as written
    return float(f"{value:.10g}")


def bin_index(value: float, edges: Sequence[float]) -> int:
    """The bin of `value` (0 = lowest): bins include their lower edge, the last one its upper edge too."""
    for i in range(len(edges) - 1):
        if value < edges[i + 1]:
            return i
    return len(edges) - 2


def palette(count: int) -> list[str]:
    """`count` colours, palest first, evenly spaced over the part of viridis the map uses."""
    if count == 1:
        return [_viridis(PALE)]
    return [_viridis(PALE - (PALE - DARK) * i / (count - 1)) for i in range(count)]


def _viridis(t: float) -> str:
    # position t (0 darkest .. 1 palest) on VIRIDIS, its stops equally spaced, interpolated in RGB
    stops = list(reversed(VIRIDIS))
    where = t * (len(stops) - 1)
    i = min(int(where), len(stops) - 2)
    a, b = (tuple(int(s[k : k + 2], 16) for k in (1, 3, 5)) for s in stops[i : i + 2])
    f = where - i
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Metric:
    """One thing the map can show: `values` by iso3 (numbers, or posture classes)."""

    key: str  # the select's option and the suffix of its data columns
    label: str  # in the select, the legend title and the tooltip ("(estimate)", "(assessed)" added)
    values: pd.Series
    places: int  # decimals shown
    classes: tuple[str, ...] = ()  # a categorical metric's classes, in legend order


def metrics(results: Results) -> list[Metric]:
    """What the map offers, in the select's order: overall score, posture, capability, intent, then
    each objective's score in the definition's order."""
    overall = results.overall
    ranked = overall["ranked"].astype(bool)
    basis = basis_of(overall["basis"])
    posture = overall["posture"].where(ranked)
    classes = tuple(c for c in POSTURE_COLOURS if c in set(posture.dropna()))
    classes += tuple(sorted(set(posture.dropna()) - set(classes)))  # a class the colours do not know
    found: list[Metric] = [
        Metric("score", "Overall score", overall["score"].where(ranked), places(2, basis)),
        Metric("posture", "Posture (this project's reading)", posture, 0, classes),
        Metric("capability", "Capability", overall["capability"].where(ranked), places(1, basis)),
        Metric("intent", "Intent", overall["intent"].where(ranked), places(2, basis, unit_scale=True)),
    ]
    table = results.objectives.pivot(index="iso3", columns="objective", values="score")
    for objective, name in objective_names(results).items():
        if objective in table:
            values = table[objective].reindex(overall.index).where(ranked)
            found.append(Metric(objective, f"{name} score", values, places(2, basis)))
    return found


@dataclass(frozen=True)
class Scale:
    """A metric's colour key: one entry per bin (or class), then one for countries without a value."""

    labels: list[str]
    colours: list[str]
    of: Callable[[Any], int | None]  # the entry of a value (None: no value)


def scale(metric: Metric) -> Scale:
    """The metric's bins fitted to its values (or its classes), with their colours."""
    values = metric.values.dropna()
    if metric.classes:
        order = list(metric.classes)
        colours = [POSTURE_COLOURS.get(c, "#b07aa1") for c in order]
        return Scale(order, colours, lambda v: None if pd.isna(v) else order.index(v))
    if values.empty:
        return Scale([], [], lambda v: None)
    edges = nice_bins(float(values.min()), float(values.max()))
    places = max(
        len(f"{e:.10f}".rstrip("0").partition(".")[2]) for e in edges
    )  # as many decimals as the edges have
    labels = [f"{a:.{places}f}–{b:.{places}f}" for a, b in itertools.pairwise(edges)]
    return Scale(labels, palette(len(labels)), lambda v: None if pd.isna(v) else bin_index(float(v), edges))


def _text(value: Any, metric: Metric) -> str:
    return str(value) if metric.classes else f"{float(value):.{metric.places}f}"


def map_frames(
    results: Results, links: Callable[[str], str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[Metric]]:
    """The map's rows: per country of the edition its shape's id, page URL and, for each metric
    (columns suffixed by its key), its fill colour (`c_`), its tooltip (`t_`, an object: field title ->
    text) and its description for screen readers (`d_`); and the legend's rows (metric, i, label,
    colour, title), the last entry of each metric being the grey of countries without a value."""
    overall = results.overall
    basis = basis_of(overall["basis"])
    found = metrics(results)
    ranks = dict(zip(overall.index, rank_labels(overall["rank"], overall["rank_basis"]), strict=True))
    rows: dict[str, dict[str, Any]] = {
        iso3: {"id": numeric_code(iso3), "iso3": iso3, "country": name}
        for iso3, name in overall["country"].items()
    }
    if links is not None:
        for iso3, row in rows.items():
            row["url"] = links(iso3)
    legend: list[dict[str, Any]] = []
    unranked = not overall["ranked"].astype(bool).all()
    grey = NOT_IN_EDITION + (" or not ranked" if unranked else "")
    for metric in found:
        keyed = scale(metric)
        title = metric.label if metric.classes else marked(metric.label, basis)
        for i, (label, colour) in enumerate([*zip(keyed.labels, keyed.colours, strict=True), (grey, GREY)]):
            legend.append({"metric": metric.key, "i": i, "label": label, "colour": colour, "title": title})
        for iso3, row in rows.items():
            value = metric.values.get(iso3)
            entry = keyed.of(value)
            name = row["country"]
            if entry is None:
                reason = overall.loc[iso3, "reason"]
                shown = "not ranked" + (f": {reason}" if isinstance(reason, str) and reason else "")
                row[f"c_{metric.key}"] = GREY
                row[f"t_{metric.key}"] = {"Country": name, title: shown}
                row[f"d_{metric.key}"] = f"{name}: {title} {shown}"
                continue
            text = _text(value, metric)
            tip = {"Country": name, "Rank": ranks[iso3] or "–", title: text}  # "17 est.", "17 assessed"
            if metric.key != "posture" and isinstance(overall.loc[iso3, "posture"], str):
                tip["Posture (this project's reading)"] = overall.loc[iso3, "posture"]
            row[f"c_{metric.key}"] = keyed.colours[entry]
            row[f"t_{metric.key}"] = tip
            bin_text = "" if metric.classes else f" (bin {keyed.labels[entry]})"
            row[f"d_{metric.key}"] = f"{name}: {title} {text}{bin_text}"
    return pd.DataFrame(list(rows.values())), pd.DataFrame(legend), found


def world_map(
    results: Results,
    topology: dict[str, Any],
    dots: pd.DataFrame | None = None,
    links: Callable[[str], str] | None = None,
) -> Chart:
    """Choropleth of one edition: the reader picks the metric (overall score by default; the static
    image shows that one), Europe is drawn again, enlarged, below the world, and the legend below both.

    A ranked country too small for the topology's scale is drawn as a dot on the world if `dots`
    (iso3, latitude, longitude) gives its position. `links(iso3)` is the URL of a country's page from
    the site's root; each country then links to it (charts.js resolves it against the site's root)."""
    spec = results.spec
    data, legend, found = map_frames(results, links)
    ranked = results.ranked
    where = placement(list(ranked.index), topology, dots)
    small = [c for c, how in where.items() if how == "dot"]
    frames = [data, legend]
    if small:
        assert dots is not None
        positions = dots.set_index("iso3").loc[small, ["latitude", "longitude"]]
        frames.append(data.set_index("iso3").loc[small].join(positions).reset_index().drop(columns="id"))
    names = ranked["country"]
    top = found[0]
    bins = legend[legend["metric"] == top.key]["label"].tolist()[:-1]
    description = (
        f"World map of the {spec.title} overall score, with Europe enlarged below: {len(ranked)} ranked "
        f"countries in {len(bins)} bins ({', '.join(bins)}) from pale yellow-green (low) to dark blue "
        f"(high), highest {ranked.iloc[0]['country']}; countries not in this edition are grey. A menu "
        "shows another metric instead: posture, capability, intent or an objective's score."
        + (f" Drawn as a dot: {', '.join(names[small])}." if small else "")
    )
    table = _table(results, found)
    title = f"{spec.title}: world map"
    choices = (tuple(m.key for m in found), tuple(m.label for m in found))
    finished = WORLD_MAP.spec(frames, title, description, choices=choices, linked=links is not None)
    # one copy of the topology per chart, named by every shape layer (inline copies multiply the page)
    finished.pop("data", None)  # Altair hoists the shape layers' shared data; they name it themselves
    finished["datasets"] = {**finished.get("datasets", {}), TOPOLOGY: topology}
    for layer in _shape_layers(finished):
        layer["data"] = {"name": TOPOLOGY, "format": {"type": "topojson", "feature": "countries"}}
    return Chart(f"map-{spec.id}", title, description, finished, table)


def _table(results: Results, found: list[Metric]) -> pd.DataFrame:
    """The ranked countries with every metric the map offers: the map's accessible version."""
    ranked = results.ranked
    table = ranked.reset_index()[["rank", "country"]]
    for metric in found:
        values = metric.values.reindex(ranked.index).to_numpy()
        table[metric.label] = values if metric.classes else [round(float(v), metric.places) for v in values]
    basis = basis_of(results.overall["basis"])
    if basis:
        table["rank"] = rank_labels(ranked["rank"], ranked["rank_basis"])
        table = basis_columns(table, {m.label: m.places for m in found if not m.classes}, basis)
    return table


def _shape_layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    if "layer" in spec:
        return [found for layer in spec["layer"] for found in _shape_layers(layer)]
    mark = spec.get("mark", {})
    return [spec] if isinstance(mark, dict) and mark.get("type") == "geoshape" else []


# The chart's layout, in px from its top, as Vega expressions of its width: the world, then Europe
# enlarged under a caption, then the legend.
LAYOUT = {
    "world_height": "round(width * 0.42)",
    "europe_top": "world_height + 30",
    "europe_height": "round(min(width * 0.75, 380))",
    "legend_top": "europe_top + europe_height + 14",
    "legend_columns": f"max(1, floor(width / {LEGEND_ENTRY}))",
}
SHAPE_FIELDS = "c_", "t_", "d_"
# the world fitted to its band; Europe fitted to the EUROPE box in its own band, cut at its edges
WORLD_PROJECTION: dict[str, Any] = {
    "type": "equalEarth",
    "extent": alt.expr("[[0, 0], [width, world_height]]"),
}
_WEST, _SOUTH, _EAST, _NORTH = EUROPE
_BOX = alt.expr("[[0, europe_top], [width, europe_top + europe_height]]")
EUROPE_PROJECTION: dict[str, Any] = {
    "type": "azimuthalEqualArea",
    "rotate": [-(_WEST + _EAST) / 2, -(_SOUTH + _NORTH) / 2, 0],
    "fit": {
        "type": "Feature",
        "geometry": {
            "type": "MultiPoint",
            "coordinates": [
                [_WEST, _SOUTH],
                [_EAST, _SOUTH],
                [_WEST, _NORTH],
                [_EAST, _NORTH],
                [(_WEST + _EAST) / 2, _SOUTH],
            ],
        },
        "properties": {},
    },
    "extent": _BOX,
    "clipExtent": _BOX,
}


def _world_map(
    data: Data,
    legend: Data,
    points: Data | None = None,
    *,
    choices: tuple[tuple[str, ...], ...],
    linked: bool = False,
) -> alt.TopLevelMixin:
    """The map's layers: the world (grey shapes, shapes shaded by the picked metric, dots for `points`
    if given), Europe the same way, and the legend of the picked metric."""
    keys, labels = list(choices[0]), list(choices[1])
    metric = alt.param(
        name="metric", value=keys[0], bind=alt.binding_select(options=keys, labels=labels, name="Show ")
    )
    layout = [alt.param(name=name, expr=expr) for name, expr in LAYOUT.items()]
    fields = ["iso3", "country", *(f"{p}{k}" for k in keys for p in SHAPE_FIELDS)] + (
        ["url"] if linked else []
    )
    picked = {
        "fill": "datum['c_' + metric]",
        "tip": "datum['t_' + metric]",
        "description": "datum['d_' + metric]",
        "alpha": f"datum['c_' + metric] === '{GREY}' ? {GREY_ALPHA} : 1",
    }
    encoding: dict[str, Any] = {
        "fill": alt.Fill("fill:N", scale=None),
        "fillOpacity": alt.FillOpacity("alpha:Q", scale=None),
        "tooltip": alt.Tooltip("tip:N"),
        "description": alt.Description("description:N"),
    }
    if linked:
        encoding["href"] = alt.Href("url:N")
    # the topology goes in after Altair has built the spec: walking its 100 kB of arcs is slow
    shapes = alt.NamedData(name=TOPOLOGY, format=alt.DataFormat(type="topojson", feature="countries"))

    def view(with_points: bool) -> list[alt.Chart]:
        background = (
            alt.Chart(shapes)
            .mark_geoshape(
                fill=GREY, fillOpacity=alt.ExprRef(GREY_ALPHA), stroke="white", strokeWidth=0.4, aria=False
            )
            # Antarctica (ISO 010) is in no index; leaving it out gives the inhabited world more room
            .transform_filter(f"datum.id !== '{ANTARCTICA}'")
            # the edition's countries are drawn once, by the next layer (the static image is ~25% smaller)
            .transform_lookup(lookup="id", from_=alt.LookupData(data, "id", ["iso3"]))
            .transform_filter("!isValid(datum.iso3)")
        )
        scored = (
            alt.Chart(shapes)
            .mark_geoshape(stroke="white", strokeWidth=0.5)
            .transform_lookup(lookup="id", from_=alt.LookupData(data, "id", fields))
            .transform_filter("isValid(datum.iso3)")
            .transform_calculate(**picked)
            .encode(**encoding)
        )
        layers = [background, scored]
        if with_points and points is not None:
            layers.append(
                alt.Chart(points)
                .mark_circle(size=70, opacity=1, stroke="#333", strokeWidth=1)
                .transform_calculate(**picked)
                .encode(longitude="longitude:Q", latitude="latitude:Q", **encoding)
            )
        return layers

    world = alt.layer(*view(True)).project(**WORLD_PROJECTION)
    europe = alt.layer(*view(False)).project(**EUROPE_PROJECTION)
    # the legend and the captions: text marks drawn in the page's text colour, entries wrapped into
    # as many columns as the width holds
    caption = (
        alt.Chart(legend)
        .mark_text(
            align="left",
            baseline="bottom",
            fontSize=12,
            fontWeight="bold",
            fill=TEXT,
            text="Europe, enlarged",
            x=0,
            y=alt.expr("europe_top - 6"),
        )
        .transform_filter("datum.metric === metric && datum.i === 0")
    )
    entries = (
        alt.Chart(legend)
        .transform_filter("datum.metric === metric")
        .transform_calculate(
            left=f"(datum.i % legend_columns) * {LEGEND_ENTRY}",
            top="legend_top + 24 + floor(datum.i / legend_columns) * 20",
            right="datum.left + 14",
            bottom="datum.top + 14",
            middle="datum.top + 7",
            text_left="datum.left + 20",
            alpha=f"datum.colour === '{GREY}' ? {GREY_ALPHA} : 1",
            entry="datum.title + ': ' + datum.label",
        )
    )
    swatches = entries.mark_rect(stroke="#888", strokeWidth=0.5, aria=False).encode(
        x=alt.X("left:Q", scale=None, axis=None),
        x2="right:Q",
        y=alt.Y("top:Q", scale=None, axis=None),
        y2="bottom:Q",
        fill=alt.Fill("colour:N", scale=None),
        fillOpacity=alt.FillOpacity("alpha:Q", scale=None),
    )
    texts = entries.mark_text(align="left", baseline="middle", fontSize=11, fill=TEXT).encode(
        x=alt.X("text_left:Q", scale=None, axis=None),
        y=alt.Y("middle:Q", scale=None, axis=None),
        text="label:N",
        description=alt.Description("entry:N"),
    )
    heading = (
        alt.Chart(legend)
        .transform_filter("datum.metric === metric && datum.i === 0")
        .transform_calculate(top="legend_top + 8")
        .mark_text(align="left", baseline="middle", fontSize=12, fontWeight="bold", fill=TEXT, aria=False)
        .encode(x=alt.value(0), y=alt.Y("top:Q", scale=None, axis=None), text="title:N")
    )
    return (
        alt.layer(world, europe, caption, swatches, texts, heading)
        .add_params(metric, *layout, dark_mode())
        .properties(width=WIDTH, height=300)
    )


WORLD_MAP = Family(_world_map)


def geometry_spec(topology: dict[str, Any], dots: pd.DataFrame | None = None) -> dict[str, Any]:
    """The map's projected shapes, for the browser to colour (`scoring.publish.svg.geometry`): every
    shape of the topology but Antarctica, on the world and again on Europe, and a dot for each country
    of `dots` the topology has no shape for, placed exactly as the maps' static images place them (the
    same projections and layout). Each shape's and dot's description is its ISO numeric code (`UNKEYED`
    for a shape without one)."""
    shapes = alt.NamedData(name=TOPOLOGY, format=alt.DataFormat(type="topojson", feature="countries"))
    keyed = {"description": alt.Description("id:N")}

    def outlines() -> alt.Chart:
        return (
            alt.Chart(shapes)
            .mark_geoshape(fill="black", strokeWidth=0)
            .transform_filter(f"datum.id !== '{ANTARCTICA}'")
            # a shape without an id (Kosovo, Northern Cyprus...) is in no edition: drawn grey, keyed "-"
            .transform_calculate(id=f"isValid(datum.id) ? datum.id : '{UNKEYED}'")
            .encode(**keyed)
        )

    world = [outlines()]
    if dots is not None:
        drawn = {str(g.get("id")) for g in topology["objects"]["countries"]["geometries"]}
        small = pd.DataFrame(
            [
                {"id": code, "latitude": row.latitude, "longitude": row.longitude}
                for row in dots.itertuples()
                if (code := numeric_code(str(row.iso3))) not in drawn
            ],
            columns=["id", "latitude", "longitude"],
        )
        if not small.empty:
            world.append(
                alt.Chart(small)
                .mark_circle(size=70, opacity=1, fill="black")
                .encode(longitude="longitude:Q", latitude="latitude:Q", **keyed)
            )
    layout = [alt.param(name=name, expr=expr) for name, expr in LAYOUT.items()]
    chart = (
        alt.layer(
            alt.layer(*world).project(**WORLD_PROJECTION),
            alt.layer(outlines()).project(**EUROPE_PROJECTION),
        )
        .add_params(*layout)
        .properties(width=WIDTH, height=300)
    )
    spec = chart.to_dict()
    spec.pop("data", None)
    spec["datasets"] = {**spec.get("datasets", {}), TOPOLOGY: topology}
    return spec


def map_data(results: Results, links: Callable[[str], str] | None = None) -> dict[str, Any]:
    """What the map page's script (map.js) colours the shared shapes (`SERVED_SHAPES`) with, for one
    edition: the metrics in the menu's order (key, menu label, legend title, legend entries as
    [label, colour], the last the grey of countries without a value) and per country of the edition
    its shape's id, its page's URL (from the site's root) and per metric [colour, tooltip rows as
    [field, text], description]: the same colours, tooltips and legend as the map's spec."""
    data, legend, found = map_frames(results, links)
    metrics = []
    for metric in found:
        rows = legend[legend["metric"] == metric.key].sort_values("i")
        metrics.append(
            {
                "key": metric.key,
                "label": metric.label,
                "title": str(rows["title"].iloc[0]),
                "legend": [[str(r.label), str(r.colour)] for r in rows.itertuples()],
            }
        )
    countries = []
    for row in data.to_dict("records"):
        shown = {
            m.key: [row[f"c_{m.key}"], [[k, str(v)] for k, v in row[f"t_{m.key}"].items()], row[f"d_{m.key}"]]
            for m in found
        }
        ranked = bool(results.overall.loc[row["iso3"], "ranked"])  # a dot is drawn for a ranked country only
        link = {"url": row["url"]} if "url" in row else {}
        countries.append({"id": row["id"], "ranked": ranked, **link, "metrics": shown})
    return {"grey": GREY, "metrics": metrics, "countries": countries}
