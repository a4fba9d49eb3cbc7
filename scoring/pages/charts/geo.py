"""The world map of the overall score, joined to an offline world topology by ISO numeric code."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import pycountry

from scoring.method.engine import Results
from scoring.outputs.text import digits
from scoring.pages.charts.base import (
    WIDTH,
    Chart,
    Data,
    Family,
    estimate,
    estimate_columns,
    number_tooltip,
    rank_labels,
)

ANTARCTICA = "010"
TOPOLOGY = "countries-110m"  # Natural Earth 1:110m, from world-atlas (site/assets/data)


def numeric_code(iso3: str) -> str:
    """ISO 3166-1 numeric code, the key of the topology's shapes ("410" for KOR)."""
    return str(pycountry.countries.lookup(iso3).numeric)


def placement(iso3s: list[str], topology: dict[str, Any], dots: pd.DataFrame | None) -> dict[str, str]:
    """How each country appears on the map: as a `shape`, as a `dot` (too small for the shapes, with
    a position in `dots`), or `absent`."""
    shapes = {str(g.get("id")) for g in topology["objects"]["countries"]["geometries"]}
    dotted = set(dots["iso3"]) if dots is not None else set()
    return {c: "shape" if numeric_code(c) in shapes else "dot" if c in dotted else "absent" for c in iso3s}


def world_map(results: Results, topology: dict[str, Any], dots: pd.DataFrame | None = None) -> Chart:
    """Choropleth of the overall score; countries are joined to the topology by ISO numeric code.

    A ranked country too small for the topology's scale is drawn as a dot if `dots` (iso3, latitude,
    longitude) gives its position."""
    spec = results.spec
    overall = results.overall.reset_index()
    overall["id"] = overall["iso3"].map(numeric_code)
    data = overall[["id", "iso3", "country", "rank", "score", "posture"]].copy()
    data["score"] = data["score"].round(2)
    data["rank"] = data["rank"].astype("float")
    estimated = results.estimated
    if estimated:
        data["rank_label"] = rank_labels(overall["rank"], overall["rank_basis"])
    ranked = results.ranked
    where = placement(list(ranked.index), topology, dots)
    small = [c for c, how in where.items() if how == "dot"]
    frames = [data]
    if small:
        assert dots is not None
        positions = dots.set_index("iso3").loc[small, ["latitude", "longitude"]]
        frames.append(data.set_index("iso3").loc[small].join(positions).reset_index().drop(columns="id"))
    names = ranked["country"]
    description = (
        f"World map of the {spec.title} overall score: {len(ranked)} ranked countries shaded from light "
        f"(low) to dark blue (high), highest {ranked.iloc[0]['country']}; other countries are grey."
        + (f" Drawn as a dot: {', '.join(names[small])}." if small else "")
    )
    table = ranked.reset_index()[["rank", "country", "score"]].assign(score=lambda f: f["score"].round(2))
    if estimated:
        labels = rank_labels(ranked["rank"], ranked["rank_basis"])
        table = estimate_columns(table.assign(rank=labels), {"score": 0})
    title = f"{spec.title}: overall score on the map"
    finished = WORLD_MAP.spec(frames, title, description, estimated=estimated)
    # one copy of the topology per chart, named by both shape layers (two inline copies doubled the page)
    finished.pop("data", None)  # Altair hoists the shape layers' shared data; they name it themselves
    finished["datasets"] = {**finished.get("datasets", {}), TOPOLOGY: topology}
    for layer in finished["layer"][:2]:
        layer["data"] = {"name": TOPOLOGY, "format": {"type": "topojson", "feature": "countries"}}
    return Chart(f"map-{spec.id}", title, description, finished, table)


def _world_map(data: Data, points: Data | None = None, *, estimated: bool = False) -> alt.TopLevelMixin:
    """The map's layers: grey shapes, shapes shaded by score, and dots for `points` if given."""
    colour = alt.Color(
        "score:Q",
        title=estimate("Overall score", estimated),
        scale=alt.Scale(scheme="blues", domain=[0, 60]),
    )
    rank = alt.Tooltip("rank_label:N", title="Rank") if estimated else alt.Tooltip("rank:Q", title="Rank")
    tooltip = [
        alt.Tooltip("country:N", title="Country"),
        rank,
        number_tooltip("score", digits(2, estimated), estimated),
        alt.Tooltip("posture:N"),
    ]
    fields = ["iso3", "country", "rank", "score", "posture"] + (["rank_label"] if estimated else [])
    # the topology goes in after Altair has built the spec: walking its 100 kB of arcs is slow
    shapes = alt.NamedData(name=TOPOLOGY, format=alt.DataFormat(type="topojson", feature="countries"))
    background = (
        alt.Chart(shapes)
        .mark_geoshape(fill="#d9d9d9", stroke="white", strokeWidth=0.4, aria=False)
        # Antarctica (ISO 010) is in no index; leaving it out gives the inhabited world more room
        .transform_filter(f"datum.id !== '{ANTARCTICA}'")
    )
    scored = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(lookup="id", from_=alt.LookupData(data, "id", fields))
        .transform_filter("isValid(datum.score)")
        .encode(color=colour, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [background, scored]
    if points is not None:
        layers.append(
            alt.Chart(points)
            .mark_circle(size=70, opacity=1, stroke="#333", strokeWidth=1)
            .encode(longitude="longitude:Q", latitude="latitude:Q", color=colour, tooltip=tooltip)
        )
    return alt.layer(*layers).project(type="equalEarth").properties(width=WIDTH, height=300)


WORLD_MAP = Family(_world_map)
