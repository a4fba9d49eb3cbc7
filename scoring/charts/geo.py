"""The world map of the overall score, joined to an offline world topology by ISO numeric code."""

from __future__ import annotations

from typing import Any

import altair as alt
import pycountry

from ..engine import Results
from .base import WIDTH, Chart, finish

ANTARCTICA = "010"
TOPOLOGY = "countries-110m"  # Natural Earth 1:110m, from world-atlas (site/assets/data)


def world_map(results: Results, topology: dict[str, Any]) -> Chart:
    """Choropleth of the overall score; countries are joined to the topology by ISO numeric code."""
    spec = results.spec
    overall = results.overall.reset_index()
    overall["id"] = overall["iso3"].map(lambda c: pycountry.countries.lookup(c).numeric)
    data = overall[["id", "iso3", "country", "rank", "score", "posture"]].copy()
    data["score"] = data["score"].round(2)
    data["rank"] = data["rank"].astype("float")
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
        .transform_lookup(
            lookup="id", from_=alt.LookupData(data, "id", ["iso3", "country", "rank", "score", "posture"])
        )
        .transform_filter("isValid(datum.score)")
        .encode(
            color=alt.Color(
                "score:Q", title="Overall score", scale=alt.Scale(scheme="blues", domain=[0, 60])
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("rank:Q", title="Rank"),
                alt.Tooltip("score:Q", format=".2f"),
                alt.Tooltip("posture:N"),
            ],
        )
    )
    chart = alt.layer(background, scored).project(type="equalEarth").properties(width=WIDTH, height=300)
    ranked = results.ranked
    description = (
        f"World map of the {spec.title} overall score: {len(ranked)} ranked countries shaded from light "
        f"(low) to dark blue (high), highest {ranked.iloc[0]['country']}; other countries are grey."
    )
    table = ranked.reset_index()[["rank", "country", "score"]].assign(score=lambda f: f["score"].round(2))
    title = f"{spec.title}: overall score on the map"
    finished = finish(chart, title, description)
    # one copy of the topology per chart, named by both layers (two inline copies doubled the page)
    finished.pop("data", None)
    finished["datasets"] = {**finished.get("datasets", {}), TOPOLOGY: topology}
    for layer in finished["layer"]:
        layer["data"] = {"name": TOPOLOGY, "format": {"type": "topojson", "feature": "countries"}}
    return Chart(f"map-{spec.id}", title, description, finished, table)
