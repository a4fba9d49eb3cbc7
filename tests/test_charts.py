"""Chart specs: valid Vega-Lite, described, tabulated, safe to embed, and golden for the tiny project.

Production builds specs with `charts.VALIDATE = False` for speed; this module is the safety net that
validates every kind of chart against the Vega-Lite schema Altair ships, and checks that the specs
bound into a kind of chart's structure (`base.Family`) equal those Altair builds chart by chart. The
tiny project's specs are snapshots (one JSON file per chart kind under
`tests/__snapshots__/test_charts/`), the topology replaced by its sha256; update them with
`pytest tests/test_charts.py --snapshot-update`.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import hashlib
import itertools
import json
import math
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema
from hypothesis import given
from hypothesis import strategies as st
from syrupy.extensions.json import JSONSnapshotExtension

from scoring.inputs import mapdata
from scoring.inputs.load import Project
from scoring.method import audit, change
from scoring.method.engine import Results, run_all
from scoring.method.memo import per_results
from scoring.outputs.text import place
from scoring.pages import charts, contexts
from scoring.pages.charts import Chart, bars, base, compare, geo, scatter
from scoring.publish import svg as svg_module

ROOT = Path(__file__).resolve().parent.parent
NCPI_2022, NCPI_2020 = "National Cyber Power Index 2022", "National Cyber Power Index 2020"

Builder = Callable[[dict[str, Results], dict[str, Any]], Chart]


def history(results: dict[str, Results], iso3: str) -> Chart:
    """The history chart as the country page builds it (scoring.pages.contexts.country_page)."""
    rows = change.history(results)
    rows = rows[rows["iso3"] == iso3].sort_values("year", ascending=False)
    name = next(r.overall.loc[iso3, "country"] for r in results.values() if iso3 in r.overall.index)
    return charts.history(rows, name, iso3)


def intervals(results: Results) -> Chart:
    """The rank-interval chart of an edition given made-up intervals (the tiny project declares no
    uncertainty analysis): one rank either side, the best rank fixed."""
    overall = results.overall.copy()
    ranked = overall["ranked"]
    overall.loc[ranked, "rank_low"] = (overall.loc[ranked, "rank"] - 1).clip(lower=1)
    overall.loc[ranked, "rank_high"] = overall.loc[ranked, "rank"] + 1
    chart = charts.rank_intervals(dataclasses.replace(results, overall=overall))
    assert chart is not None
    return chart


# chart id -> (builder, words the description must contain)
REAL: dict[str, tuple[Builder, list[str]]] = {
    "ranking-ncpi-2022": (lambda r, t: charts.ranking(r["ncpi-2022"]), [NCPI_2022, "United States"]),
    "ranking-ncpi-2020": (lambda r, t: charts.ranking(r["ncpi-2020"]), [NCPI_2020, "29 countries"]),
    "intervals-ncpi-2022": (
        lambda r, t: charts.rank_intervals(r["ncpi-2022"]),  # type: ignore[arg-type,return-value]
        [NCPI_2022, "30 countries", "ranks marked est. are estimates"],
    ),
    "intervals-ncpi-2020": (
        lambda r, t: charts.rank_intervals(r["ncpi-2020"]),  # type: ignore[arg-type,return-value]
        [NCPI_2020, "29 countries", "5–95 %"],
    ),
    "profile-ncpi-2022-prk": (lambda r, t: charts.profile(r["ncpi-2022"], "PRK"), ["North Korea", NCPI_2022]),
    "profile-ncpi-2022-kor": (
        lambda r, t: charts.profile(r["ncpi-2022"], "KOR"),
        ["Republic of Korea", NCPI_2022],
    ),
    "profile-ncpi-2020-kor": (
        lambda r, t: charts.profile(r["ncpi-2020"], "KOR"),
        ["Republic of Korea", NCPI_2020],
    ),
    "capint-ncpi-2022-prk": (
        lambda r, t: charts.capability_intent(r["ncpi-2022"], "PRK"),
        ["North Korea", NCPI_2022],
    ),
    "capint-ncpi-2020-prk": (  # not ranked: intent only
        lambda r, t: charts.capability_intent(r["ncpi-2020"], "PRK"),
        ["North Korea", NCPI_2020],
    ),
    "quadrant-ncpi-2022-financial": (
        lambda r, t: charts.quadrant(r["ncpi-2022"], "financial"),
        ["Financial", NCPI_2022, "30 ranked countries"],
    ),
    "quadrant-ncpi-2020-defense": (
        lambda r, t: charts.quadrant(r["ncpi-2020"], "defense"),
        ["Defense", NCPI_2020, "29 ranked countries"],
    ),
    "posture-ncpi-2022": (lambda r, t: charts.posture_map(r["ncpi-2022"]), [NCPI_2022, "1 attack-heavy"]),
    "posture-ncpi-2020": (lambda r, t: charts.posture_map(r["ncpi-2020"]), [NCPI_2020, "29 ranked"]),
    "history-prk": (lambda r, t: history(r, "PRK"), ["North Korea", "2022: 14"]),
    "history-kor": (lambda r, t: history(r, "KOR"), ["Republic of Korea", "2022: 7", "2020: 16"]),
    "compare-ncpi-2022": (
        lambda r, t: compare.scores(r["ncpi-2022"], ["PRK", "KOR"]),
        [NCPI_2022, "North Korea and Republic of Korea", "legend", "estimates"],
    ),
    "compare-ncpi-2020": (
        lambda r, t: compare.scores(r["ncpi-2020"], ["KOR", "USA", "CHN"]),
        [NCPI_2020, "Republic of Korea, United States and China"],
    ),
    "compare-capint-ncpi-2022": (
        lambda r, t: compare.capability_intent(r["ncpi-2022"], ["CHN", "USA", "RUS"]),
        [NCPI_2022, "China, United States and Russia", "posture", "estimates"],
    ),
    "compare-capint-ncpi-2020": (
        lambda r, t: compare.capability_intent(r["ncpi-2020"], ["KOR", "USA"]),
        [NCPI_2020, "Republic of Korea and United States", "posture"],
    ),
    "map-ncpi-2022": (lambda r, t: charts.world_map(r["ncpi-2022"], t), [NCPI_2022, "30 ranked"]),
    "map-ncpi-2020": (lambda r, t: charts.world_map(r["ncpi-2020"], t), [NCPI_2020, "29 ranked"]),
}
KINDS = ["ranking", "intervals", "profile", "capint", "quadrant", "posture", "history", "compare", "map"]

# one chart of each kind from the tiny project, snapshotted whole
TINY: dict[str, Builder] = {
    "ranking": lambda r, t: charts.ranking(r["tiny-2022"]),
    "intervals": lambda r, t: intervals(r["tiny-2022"]),
    "profile": lambda r, t: charts.profile(r["tiny-2022"], "PRK"),
    "capint": lambda r, t: charts.capability_intent(r["tiny-2020"], "PRK"),
    "quadrant": lambda r, t: charts.quadrant(r["tiny-2022"], "destructive"),
    "posture": lambda r, t: charts.posture_map(r["tiny-2022"]),
    "history": lambda r, t: history(r, "PRK"),
    "compare": lambda r, t: compare.scores(r["tiny-2022"], ["PRK", "KOR"]),
    "map": lambda r, t: charts.world_map(r["tiny-2022"], t),
}


@pytest.fixture(scope="module")
def topology() -> dict[str, Any]:
    return mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)


@pytest.fixture(scope="module")
def real(results: dict[str, Results], topology: dict[str, Any]) -> dict[str, Chart]:
    return {chart_id: build(results, topology) for chart_id, (build, _) in REAL.items()}


@pytest.fixture(scope="module")
def tiny(tiny_project: Project, topology: dict[str, Any]) -> dict[str, Chart]:
    results = run_all(tiny_project)
    return {kind: build(results, topology) for kind, build in TINY.items()}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return load_schema()


def dataset(spec: dict[str, Any], name: str | None = None) -> list[dict[str, Any]]:
    """Inline rows of a spec: its top-level data, or the named dataset."""
    return spec["datasets"][name or spec["data"]["name"]]


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(table.to_json(orient="records", force_ascii=False))


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


# --- every kind ----------------------------------------------------------------------------------------


def test_cases_cover_every_kind_of_chart() -> None:
    assert {chart_id.split("-")[0] for chart_id in REAL} == set(KINDS) == set(TINY)
    public = {
        "ranking",
        "rank_intervals",
        "profile",
        "capability_intent",
        "quadrant",
        "posture_map",
        "history",
    }
    public |= {"compare"}
    assert public | {"world_map"} <= set(dir(charts))


@pytest.mark.parametrize("chart_id", REAL)
def test_spec_is_valid_vega_lite(real: dict[str, Chart], schema: dict[str, Any], chart_id: str) -> None:
    spec = real[chart_id].spec
    assert spec["$schema"] == f"https://vega.github.io/schema/vega-lite/{alt.SCHEMA_VERSION}.json"
    error = validate_jsonschema(spec, schema, raise_error=False)
    assert error is None, str(error)[:3000]


@pytest.mark.parametrize("kind", TINY)
def test_tiny_spec_is_valid_vega_lite(tiny: dict[str, Chart], schema: dict[str, Any], kind: str) -> None:
    error = validate_jsonschema(tiny[kind].spec, schema, raise_error=False)
    assert error is None, str(error)[:3000]


@pytest.mark.parametrize("chart_id", REAL)
def test_description_and_title(real: dict[str, Chart], chart_id: str) -> None:
    chart = real[chart_id]
    assert chart.id == chart_id
    assert chart.spec["description"] == chart.description
    title = chart.spec["title"]
    assert (title["anchor"], title["limit"]) == ("start", {"expr": "width"})
    # "Edition: what" is set on two lines, so that a narrow chart keeps both parts readable
    text = title["text"]
    lines = text if isinstance(text, list) else [text]
    # a long second part wraps at spaces into lines that a phone-wide plot shows whole
    assert ": ".join([lines[0], " ".join(lines[1:])] if len(lines) > 1 else lines) == chart.title
    assert (len(lines) >= 2) == (": " in chart.title)
    assert all(len(line) <= base.PHONE_TITLE for line in lines[1:] if " " in line)
    missing = [words for words in REAL[chart_id][1] if words not in chart.description]
    assert missing == [], chart.description
    assert chart.description.endswith(".")


@pytest.mark.parametrize("chart_id", REAL)
def test_json_is_safe_inside_a_script_element(real: dict[str, Chart], chart_id: str) -> None:
    text = real[chart_id].json()
    assert [c for c in "<>&" if c in text] == []
    assert strict_json(text) == real[chart_id].spec  # no NaN or Infinity, nothing lost


def test_json_escapes_markup_in_data() -> None:
    hostile = "</script><script>alert('x')</script> & <!--"
    chart = Chart(
        "x", hostile, hostile, {"description": hostile, "data": {"values": [{"a": hostile}]}}, pd.DataFrame()
    )
    text = chart.json()
    assert [c for c in "<>&" if c in text] == []
    assert "\\u003c/script\\u003e" in text and "\\u0026" in text
    assert strict_json(text) == chart.spec


# --- the data behind each kind -------------------------------------------------------------------------


def test_ranking_table_and_bars(real: dict[str, Chart], results: dict[str, Results]) -> None:
    chart = real["ranking-ncpi-2022"]
    table = chart.table
    # an estimated edition: scores say so in the header, ranks not published say "est."
    assert list(table.columns) == ["rank", "country", "score (estimate)"]
    assert len(table) == 30
    assert table["rank"].tolist()[:3] == ["1", "2", "3"] and table["rank"].tolist()[16] == "17 est."
    assert table.iloc[0].to_dict() == {"rank": "1", "country": "United States", "score (estimate)": "44"}
    tooltips = {t["title"] for t in chart.spec["encoding"]["tooltip"]}
    assert {"Overall score (estimate)", "Contribution (estimate)"} <= tooltips
    ranked = results["ncpi-2022"].ranked
    assert table["country"].tolist() == ranked["country"].tolist()
    # each bar is the sum of its objective contributions: the overall score
    rows = pd.DataFrame(dataset(chart.spec))
    assert len(rows) == 30 * 8
    sums = rows.groupby("country")["contribution"].sum()
    overall = rows.groupby("country")["overall"].first()
    assert (sums - overall).abs().max() < 0.01
    assert chart.spec["encoding"]["y"]["sort"] == ranked["country"].tolist()


def test_rank_intervals_dot_and_bar(real: dict[str, Chart], results: dict[str, Results]) -> None:
    """One row per ranked country: the dot at its rank, the bar over its 5–95 % interval."""
    chart = real["intervals-ncpi-2022"]
    ranked = results["ncpi-2022"].ranked
    rows = pd.DataFrame(dataset(chart.spec))
    assert rows["country"].tolist() == ranked["country"].tolist()
    assert rows["rank_low"].tolist() == ranked["rank_low"].astype(int).tolist()
    assert rows["rank_high"].tolist() == ranked["rank_high"].astype(int).tolist()
    assert (rows["rank_low"] <= rows["rank"]).all() and (rows["rank"] <= rows["rank_high"]).all()
    marks = [layer["mark"]["type"] for layer in chart.spec["layer"]]
    assert marks == ["bar", "point"]
    assert chart.spec["layer"][0]["encoding"]["x2"] == {"field": "rank_high"}
    assert list(chart.table.columns) == ["rank", "country", "5 % rank", "95 % rank"]
    assert chart.table["rank"].tolist()[16] == "17 est."
    assert "Rank (estimate)" in {t["title"] for t in chart.spec["layer"][0]["encoding"]["tooltip"]}
    # published data, no estimate marks; no intervals, no chart
    assert "est." not in " ".join(real["intervals-ncpi-2020"].table["rank"])
    bare = dataclasses.replace(results["ncpi-2022"], overall=ranked.assign(rank_low=pd.NA, rank_high=pd.NA))
    assert charts.rank_intervals(bare) is None


def test_ranking_2020_leaves_out_the_unranked(real: dict[str, Chart]) -> None:
    table = real["ranking-ncpi-2020"].table
    assert len(table) == 29
    assert "North Korea" not in table["country"].tolist()
    assert {row["country"] for row in dataset(real["ranking-ncpi-2020"].spec)} == set(table["country"])


def test_profile_table(real: dict[str, Chart]) -> None:
    table = real["profile-ncpi-2022-prk"].table
    assert list(table.columns) == ["objective", "score (estimate)", "median (estimate)", "rank (estimate)"]
    assert len(table) == 8
    assert table.set_index("objective").loc["Financial"].to_dict()["score (estimate)"] == "50"
    assert table.set_index("objective").loc["Financial", "rank (estimate)"] == "1st"
    published = real["profile-ncpi-2020-kor"].table
    assert list(published.columns) == ["objective", "score", "median", "rank"]
    assert len(published) == 7


def test_capability_intent_table(real: dict[str, Chart]) -> None:
    table = real["capint-ncpi-2022-prk"].table
    assert list(table.columns) == [
        "objective",
        "Capability (0–100) (estimate)",
        "Intent (0–1, ×100) (estimate)",
    ]
    assert table.iloc[-1].tolist() == ["Financial", "50", "100"]
    # an estimated intent to one decimal: ×100, to the ten
    assert table.iloc[0].tolist() == ["Surveillance", "2", "60"]
    unranked = real["capint-ncpi-2020-prk"].table
    assert list(unranked.columns) == ["objective", "Intent (0–1, ×100)"]  # no capability data
    assert len(unranked) == 7
    assert {row["measure"] for row in dataset(real["capint-ncpi-2020-prk"].spec)} == {"Intent (0–1, ×100)"}


def test_quadrant_table(real: dict[str, Chart]) -> None:
    table = real["quadrant-ncpi-2022-financial"].table
    assert list(table.columns) == [
        "rank (estimate)",
        "country",
        "capability (estimate)",
        "intent (estimate)",
        "score (estimate)",
    ]
    assert len(table) == 30
    assert table.iloc[0].tolist() == ["1st", "North Korea", "50", "1.0", "50"]
    # 27 of the 30 countries score 0 on financial: they share 4th place, and the table says so
    assert table["rank (estimate)"].value_counts()["tied 4th (27 countries at 0)"] == 27
    published = real["quadrant-ncpi-2020-defense"].table
    assert list(published.columns) == ["rank", "country", "capability", "intent", "score"]
    assert len(published) == 29


def test_posture_table(real: dict[str, Chart], results: dict[str, Results]) -> None:
    chart = real["posture-ncpi-2022"]
    table = chart.table
    assert list(table.columns) == [
        "rank",
        "country",
        "orientation (estimate)",
        "offense score (estimate)",
        "offense tier",
        "posture",
    ]
    assert table["rank"].tolist()[-1] == "30 est."
    assert len(table) == 30
    assert table["posture"].value_counts().to_dict() == {"defensive": 20, "balanced": 9, "attack-heavy": 1}
    assert "1 attack-heavy" in chart.description and "9 balanced and 20 defensive" in chart.description
    prk = table.set_index("country").loc["North Korea"]
    orientation = results["ncpi-2022"].overall.loc["PRK", "orientation"]
    assert (prk["posture"], prk["orientation (estimate)"]) == ("attack-heavy", f"{orientation:.2f}")


@pytest.mark.parametrize(
    ("chart_id", "x", "y"),
    [
        ("quadrant-ncpi-2022-financial", "capability", "intent"),
        ("posture-ncpi-2022", "orientation", "offense"),
    ],
)
def test_scatter_labels_do_not_overlap(real: dict[str, Chart], chart_id: str, x: str, y: str) -> None:
    """Every point is drawn; labels only where they cover no other label and no other point."""
    spec = real[chart_id].spec
    points = dataset(spec)
    assert len(points) == 30
    labelled = [p for p in points if p["labelled"]]
    assert 5 <= len(labelled) < 30
    assert max(points, key=lambda p: p["score"])["labelled"]
    [text] = [layer for layer in spec["layer"] if {"filter": "datum.labelled"} in layer.get("transform", [])]
    assert text["mark"]["type"] == "text" and text["mark"]["dx"] == scatter.LABEL_DX
    [circles] = [layer for layer in spec["layer"] if layer["mark"]["type"] == "circle"]
    x_domain = circles["encoding"]["x"]["scale"]["domain"]
    y_domain = circles["encoding"]["y"]["scale"]["domain"]

    def at(p: dict[str, Any]) -> tuple[float, float]:
        return (
            (p[x] - x_domain[0]) / (x_domain[1] - x_domain[0]) * scatter.PLOT_WIDTH,
            (p[y] - y_domain[0]) / (y_domain[1] - y_domain[0]) * spec["height"],
        )

    for a in labelled:
        ax, ay = at(a)
        box = (ax + scatter.LABEL_DX, ax + scatter.LABEL_DX + scatter.LABEL_W)
        for b in points:
            if b is a:
                continue
            bx, by = at(b)
            if b["labelled"]:
                boxes_apart = abs(ax - bx) >= scatter.LABEL_W + scatter.LABEL_DX
                assert boxes_apart or abs(ay - by) >= scatter.LABEL_H, f"labels {a['iso3']}, {b['iso3']}"
            on_box = box[0] - scatter.POINT_R < bx < box[1] + scatter.POINT_R
            assert not (on_box and abs(ay - by) < scatter.LABEL_H / 2 + scatter.POINT_R), (
                f"{a['iso3']}'s label covers {b['iso3']}"
            )


def test_uncrowded_keeps_every_label_when_points_are_apart() -> None:
    frame = pd.DataFrame({"x": [0.0, 50.0, 100.0], "y": [0.0, 0.5, 1.0], "score": [1.0, 3.0, 2.0]})
    assert scatter.uncrowded(frame, "x", "y", (100, 1), 360).tolist() == [True, True, True]
    stacked = frame.assign(x=[10.0, 10.5, 11.0], y=[0.0, 0.0, 0.0])
    # the best scorer's label would cover its right-hand neighbour; the rightmost point's label is clear
    assert scatter.uncrowded(stacked, "x", "y", (100, 1), 360).tolist() == [False, False, True]
    apart = stacked.assign(y=[0.0, 0.5, 1.0])
    assert scatter.uncrowded(apart, "x", "y", (100, 1), 360).tolist() == [True, True, True]


def test_history_table(real: dict[str, Chart]) -> None:
    # editions mixed: an estimate is marked on its own row, a published edition's row is as published
    assert real["history-prk"].table.to_dict("records") == [
        {"edition": NCPI_2022, "rank": "14", "score": "15 est."}
    ]
    assert real["history-kor"].table.to_dict("records") == [
        {"edition": NCPI_2022, "rank": "7", "score": "16 est."},
        {"edition": NCPI_2020, "rank": "16", "score": "15.81"},
    ]


def test_compare_charts_hold_every_ranked_country_and_show_the_selection(
    real: dict[str, Chart], results: dict[str, Results]
) -> None:
    """The selection is a parameter of the spec (compare.js sets it): the data holds every ranked
    country, the filter and the colour order follow the parameter, and the table the chosen countries."""
    result = results["ncpi-2022"]
    for chart_id, chosen in (
        ("compare-ncpi-2022", ["PRK", "KOR"]),
        ("compare-capint-ncpi-2022", ["CHN", "USA", "RUS"]),
    ):
        spec = real[chart_id].spec
        params = [p for layer in [spec, *spec.get("layer", [])] for p in layer.get("params", [])]
        assert {"name": "selection", "value": chosen} in params
        assert {"filter": "indexof(selection, datum.iso3) >= 0"} in spec["transform"]
        assert {"calculate": "indexof(selection, datum.iso3)", "as": "slot"} in spec["transform"]
        assert {row["iso3"] for row in dataset(spec)} == set(result.ranked.index)
    colour = real["compare-ncpi-2022"].spec["encoding"]["color"]
    assert colour["scale"]["range"] == list(compare.PALETTE)
    assert colour["sort"] == {"field": "slot", "op": "min"}
    assert colour["legend"]["orient"] == "bottom"
    table = real["compare-ncpi-2022"].table
    assert list(table.columns) == ["objective", "North Korea (estimate)", "Republic of Korea (estimate)"]
    assert len(table) == 8
    assert table.iloc[-1].tolist() == ["Financial", "50", "0"]  # estimates to the whole point
    assert list(real["compare-ncpi-2020"].table.columns) == [
        "objective",
        "Republic of Korea",
        "United States",
        "China",
    ]
    rows = results["ncpi-2020"].objectives.set_index(["iso3", "objective"])["score"]
    expected = [f"{rows[i, 'surveillance']:.2f}" for i in ("KOR", "USA", "CHN")]
    assert real["compare-ncpi-2020"].table.iloc[0].tolist() == ["Surveillance", *expected]
    summary = real["compare-capint-ncpi-2022"].table
    assert list(summary.columns) == [
        "country",
        "rank",
        "score (estimate)",
        "capability (estimate)",
        "intent (estimate)",
        "posture",
    ]
    assert summary["country"].tolist() == ["China", "United States", "Russia"]
    assert summary["posture"].tolist() == result.overall.loc[["CHN", "USA", "RUS"], "posture"].tolist()
    assert summary["intent (estimate)"].str.fullmatch(r"0\.\d").all()  # one decimal on 0–1


def test_compare_palette_has_six_distinct_colours() -> None:
    assert len(set(compare.PALETTE)) == compare.MAX_COUNTRIES == 6


def test_compare_page_data_tables_match_the_static_tables(
    real: dict[str, Chart], results: dict[str, Results]
) -> None:
    """What compare.js builds a table from gives, for the default pair, the very cells of the static
    table; it offers only ranked countries, by name."""
    result = results["ncpi-2022"]
    data = compare.page_data(result, ["PRK", "KOR"])
    assert data["chosen"] == ["PRK", "KOR"]
    offered = data["countries"]
    assert isinstance(offered, list) and [i for i, _ in offered] == list(
        result.ranked.sort_values("country").index
    )
    tables = data["tables"]
    assert isinstance(tables, dict)
    scores = tables["compare-ncpi-2022"]
    static = real["compare-ncpi-2022"].table
    assert scores["lead"] == ("objective", static["objective"].tolist())
    assert [scores["head"][i] for i in ("PRK", "KOR")] == list(static.columns[1:])
    assert [scores["cells"][i] for i in ("PRK", "KOR")] == [static[c].tolist() for c in static.columns[1:]]
    summary = tables["compare-capint-ncpi-2022"]
    static = real["compare-capint-ncpi-2022"].table
    assert summary["head"] == list(static.columns)
    assert [summary["cells"][i] for i in ("CHN", "USA", "RUS")] == static.values.tolist()
    assert len(summary["cells"]) == len(result.ranked)


def map_views(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A map spec's world view and its enlarged Europe view (each a layer: grey shapes, shaded
    shapes, and on the world the dots)."""
    world, europe = spec["layer"][:2]
    return world, europe


def map_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows the map's shaded shapes look up (one per country of the edition)."""
    [lookup] = [t for t in map_views(spec)[0]["layer"][1]["transform"] if "lookup" in t]
    return dataset(spec, lookup["from"]["data"]["name"])


def test_world_map_joins_by_iso_numeric_code(
    real: dict[str, Chart], topology: dict[str, Any], results: dict[str, Results]
) -> None:
    chart = real["map-ncpi-2022"]
    for view in map_views(chart.spec):
        for layer in view["layer"][:2]:
            assert layer["data"]["format"] == {"type": "topojson", "feature": "countries"}
            assert chart.spec["datasets"][layer["data"]["name"]] is topology
    # every shape layer shares one copy: the page carries the 100 kB of arcs once per map
    text = json.dumps(chart.spec)
    assert text.count('"Topology"') == 1
    scored = map_views(chart.spec)[0]["layer"][1]
    [lookup] = [t for t in scored["transform"] if "lookup" in t]
    assert (lookup["lookup"], lookup["from"]["key"]) == ("id", "id")
    rows = {row["iso3"]: row for row in dataset(chart.spec, lookup["from"]["data"]["name"])}
    assert (rows["KOR"]["id"], rows["PRK"]["id"], rows["USA"]["id"], rows["AUS"]["id"]) == (
        "410",
        "408",
        "840",
        "036",
    )
    assert set(rows) == set(results["ncpi-2022"].overall.index)
    shapes = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    # Singapore is too small for the 110m map; the map page says so
    assert sorted(iso3 for iso3, row in rows.items() if row["id"] not in shapes) == ["SGP"]
    assert len(chart.table) == 30 and chart.table["rank"].tolist()[-1] == "30 est."
    # the table has every measure the menu offers, the overall score first
    columns = list(real["map-ncpi-2020"].table.columns)
    assert columns[:6] == [
        "rank",
        "country",
        "Overall score",
        "Posture (this project's reading)",
        "Capability",
        "Intent",
    ]
    assert columns[6:] == [f"{o.name} score" for o in results["ncpi-2020"].spec.objectives]
    assert real["map-ncpi-2020"].table["rank"].is_monotonic_increasing
    assert list(chart.table.columns)[2] == "Overall score (estimate)"


def test_world_map_draws_small_countries_as_dots(
    results: dict[str, Results], topology: dict[str, Any]
) -> None:
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    assert list(dots["iso3"]) == ["SGP"]
    chart = charts.world_map(results["ncpi-2022"], topology, dots)
    world, europe = map_views(chart.spec)
    assert (len(world["layer"]), len(europe["layer"])) == (3, 2)  # the dot on the world only
    dot = world["layer"][2]
    assert (dot["mark"]["type"], dot["encoding"]["longitude"]["field"]) == ("circle", "longitude")
    [row] = dataset(chart.spec, dot["data"]["name"])
    singapore = results["ncpi-2022"].overall.loc["SGP"]
    assert (row["iso3"], row["latitude"], row["longitude"]) == ("SGP", 1.29, 103.85)
    bins = geo.scale(geo.metrics(results["ncpi-2022"])[0])
    assert row["c_score"] == bins.colours[bins.of(singapore["score"])]
    assert row["t_score"]["Overall score (estimate)"] == f"{singapore['score']:.0f}"
    assert chart.description.endswith("Drawn as a dot: Singapore.")
    where = charts.placement(["KOR", "SGP"], topology, None)
    assert where == {"KOR": "shape", "SGP": "absent"}
    assert charts.placement(["SGP"], topology, dots) == {"SGP": "dot"}


@pytest.mark.parametrize(
    ("low", "high", "edges"),
    [
        (3.74, 43.96, [0, 10, 20, 30, 40, 50]),  # 2022 overall score: 5 bins, not 0-60
        (12.61, 66.11, [10, 20, 30, 40, 50, 60, 70]),  # 6 bins
        (0.0, 50.0, [0, 10, 20, 30, 40, 50]),  # the maximum on an edge: the last bin holds it
        (0.1425, 0.7376, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),  # 7 bins of 0.1, not 4 of 0.2
        (0.2, 31.8, [0, 5, 10, 15, 20, 25, 30, 35]),
        (7.0, 7.0, [7, 8]),  # one value
    ],
)
def test_nice_bins(low: float, high: float, edges: list[float]) -> None:
    assert geo.nice_bins(low, high) == edges


@given(
    st.floats(min_value=-1000, max_value=1000, allow_nan=False),  # scores, capabilities, intents and more
    st.floats(min_value=0.01, max_value=1000, allow_nan=False),
)
def test_nice_bins_cover_the_values_and_stop_within_a_step(low: float, span: float) -> None:
    """The edges are equally spaced on a nice step; the first is at or below the minimum, the last at
    or above the maximum and less than one step above it (the next nice step, not 60 for 44)."""
    high = low + span
    edges = geo.nice_bins(low, high)
    step = edges[1] - edges[0]
    assert 2 <= len(edges) - 1 <= 7
    assert all(abs((b - a) - step) <= 1e-9 * max(1.0, abs(b)) for a, b in itertools.pairwise(edges))
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-12)
    assert any(abs(mantissa - nice) < 1e-6 for nice in (1, 2, 2.5, 5, 10)), step
    tolerance = 1e-9 * max(1.0, abs(low), abs(high))
    assert edges[0] <= low + tolerance and edges[0] > low - step - tolerance
    assert edges[-1] >= high - tolerance and edges[-1] < high + step + tolerance


def test_map_colours_each_metric_by_bins_fitted_to_its_values(results: dict[str, Results]) -> None:
    """Every metric has its own legend: bins from its own minimum to its maximum (the top bin's upper
    edge at or above the maximum and below the next nice step), or the posture classes; each country's
    colour is its bin's; the last entry is the grey of countries without a value."""
    for result in results.values():
        data, legend, found = geo.map_frames(result)
        rows = data.set_index("iso3")
        assert [m.key for m in found][:4] == ["score", "posture", "capability", "intent"]
        assert [m.key for m in found][4:] == list(result.spec.objective_ids)
        for metric in found:
            entries = legend[legend["metric"] == metric.key]
            assert entries["i"].tolist() == list(range(len(entries)))
            *bins, grey = entries.to_dict("records")
            assert grey["colour"] == geo.GREY and grey["label"].startswith(geo.NOT_IN_EDITION)
            values = metric.values.dropna()
            if metric.classes:
                assert [b["label"] for b in bins] == sorted(
                    set(values), key=list(charts.POSTURE_COLOURS).index
                )
                assert all(b["colour"] == charts.POSTURE_COLOURS[b["label"]] for b in bins)
            else:
                assert 5 <= len(bins) <= 7, (metric.key, bins)
                edges = [float(b["label"].split("–")[0]) for b in bins] + [
                    float(bins[-1]["label"].split("–")[1])
                ]
                step = edges[1] - edges[0]
                assert edges[0] <= values.min() and edges[-1] >= values.max(), metric.key
                assert edges[-1] - values.max() < step, metric.key  # not a whole empty bin above the top
                assert len(set(b["colour"] for b in bins)) == len(bins)
            colours = {b["label"]: b["colour"] for b in bins}
            for iso3, value in metric.values.items():
                colour = rows.loc[iso3, f"c_{metric.key}"]
                if pd.isna(value):
                    assert colour == geo.GREY
                elif metric.classes:
                    assert colour == colours[value]
                else:
                    # the last bin whose lower edge is at or below the value (the maximum: the top bin)
                    label = bins[max(i for i, edge in enumerate(edges[:-1]) if edge <= value)]["label"]
                    assert colour == colours[label], (metric.key, iso3, value)
    # North Korea 2020 is listed but not ranked: grey, and its tooltip says why
    data, _, _ = geo.map_frames(results["ncpi-2020"])
    prk = data.set_index("iso3").loc["PRK"]
    assert prk["c_score"] == geo.GREY and prk["t_score"]["Overall score"].startswith("not ranked")


def test_map_legend_and_tooltips_mark_estimates(results: dict[str, Results]) -> None:
    """The estimated edition's legend titles and tooltips say "(estimate)" and show no more digits
    than an estimate has; the published edition's do not."""
    for edition, result in results.items():
        data, legend, _ = geo.map_frames(result)
        usa = data.set_index("iso3").loc["USA"]
        titles = set(legend["title"])
        if result.estimated:
            assert "Overall score (estimate)" in titles and "Intent (estimate)" in titles
            assert usa["t_score"]["Overall score (estimate)"] == f"{result.overall.loc['USA', 'score']:.0f}"
            assert usa["t_intent"]["Intent (estimate)"] == f"{result.overall.loc['USA', 'intent']:.1f}"
            # a rank says itself whether it is an estimate: the United States' 1 is published
            assert usa["t_score"]["Rank"] == "1"
            assert any(row["t_score"]["Rank"].endswith(" est.") for row in data.to_dict("records"))
        else:
            assert not any("estimate" in t for t in titles), edition
            assert usa["t_score"]["Overall score"] == f"{result.overall.loc['USA', 'score']:.2f}"
            assert not any("estimate" in k for k in usa["t_score"])
        # posture is this project's reading, never an estimate
        assert "Posture (this project's reading)" in titles


def test_map_links_each_country_to_its_page(results: dict[str, Results], topology: dict[str, Any]) -> None:
    """With `links`, every shaded shape and dot, in both views, links to the country's page (a URL
    from the site's root, which charts.js resolves against the site's root); without, none does."""
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    chart = charts.world_map(results["ncpi-2022"], topology, dots, links=lambda i: f"countries/{i.lower()}/")
    world, europe = map_views(chart.spec)
    linked = [world["layer"][1], world["layer"][2], europe["layer"][1]]
    assert all(layer["encoding"]["href"] == {"field": "url", "type": "nominal"} for layer in linked)
    assert "href" not in world["layer"][0].get("encoding", {})  # countries outside the index link nowhere
    [lookup] = [t for t in world["layer"][1]["transform"] if "lookup" in t]
    assert "url" in lookup["from"]["fields"]
    rows = {r["iso3"]: r["url"] for r in dataset(chart.spec, lookup["from"]["data"]["name"])}
    assert rows["DEU"] == "countries/deu/" and len(rows) == 30
    plain = charts.world_map(results["ncpi-2022"], topology, dots)
    assert '"href"' not in json.dumps(plain.spec)


def test_map_enlarges_europe_so_its_countries_can_be_told_apart(
    results: dict[str, Results], topology: dict[str, Any]
) -> None:
    """The static image (what vl-convert draws at the fallback width) has each European country of
    the edition twice, the second time in the Europe view: at least 3 times as wide as on the world
    and at least 15 px wide; the Europe view is cut at its box (Russia does not spill over the legend)."""
    chart = charts.world_map(results["ncpi-2022"], topology)
    europe = map_views(chart.spec)[1]
    assert europe["projection"]["type"] == "azimuthalEqualArea"
    assert europe["projection"]["clipExtent"] == europe["projection"]["extent"]
    svg = svg_module.render(chart.spec, None).decode()
    widths: dict[str, list[float]] = {}
    for label, path in re.findall(r'<path aria-label="([^":]+):[^"]*"[^>]*?d="([^"]*)"', svg):
        # the widest of its outlines (France's mainland, not the span from French Guiana to France)
        outlines = [
            [float(x) for x in re.findall(r"(-?\d+(?:\.\d+)?),-?\d", part)] for part in path.split("M")
        ]
        widths.setdefault(label, []).append(max((max(xs) - min(xs) for xs in outlines if xs), default=0.0))
    overall = results["ncpi-2022"].overall
    european = ["ESP", "EST", "FRA", "DEU", "GBR", "ITA", "LTU", "NLD", "SWE", "CHE", "UKR"]
    for iso3 in european:
        world, inset = widths[overall.loc[iso3, "country"]]
        assert inset >= 15 and inset >= 3 * world, (iso3, world, inset)
    heading = re.search(r">Europe, enlarged<", svg)
    assert heading is not None


def tooltips(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every tooltip of a spec, its layers' included."""
    return [t for t in spec.get("encoding", {}).get("tooltip", []) if isinstance(t, dict)] + [
        t for layer in spec.get("layer", []) for t in tooltips(layer)
    ]


MARKED = ("(estimate)", " est.")


@pytest.mark.parametrize("kind", KINDS)
def test_estimates_are_marked_in_tooltips_and_tables(real: dict[str, Chart], kind: str) -> None:
    """Every chart of the estimated 2022 edition says which values are estimates, in its data table and
    its tooltips (a history, which mixes editions, on the estimated edition's own values); no chart of
    the published 2020 edition does."""
    for chart_id, chart in real.items():
        if chart_id.split("-")[0] != kind:
            continue
        table = " ".join(map(str, chart.table.columns)) + " " + chart.table.astype(str).to_string()
        if chart_id.startswith("history"):
            tooltip = {t.get("title", t["field"]): t["field"] for t in tooltips(chart.spec)}
            assert (tooltip["rank"], tooltip["score"]) == ("rank_label", "score_label")
            scores = dict(zip(chart.table["edition"], chart.table["score"], strict=True))
            assert scores[NCPI_2022].endswith(" est.") and scores.get(NCPI_2020, "").count("est.") == 0
            continue
        titles = [t.get("title", t["field"]) for t in tooltips(chart.spec)]
        if chart_id.startswith("map"):  # the map's tooltips are in its rows, one per metric
            titles = [
                title
                for row in map_rows(chart.spec)
                for k, tip in row.items()
                if k.startswith("t_")
                for title in tip
            ]
            if "2022" in chart_id:
                assert any(mark in table for mark in MARKED) and "Overall score (estimate)" in titles
            else:
                assert not any(mark in table for mark in MARKED), chart_id
                assert not any(mark in t for t in titles for mark in MARKED), (chart_id, titles)
            continue
        if "2022" in chart_id:
            assert any(mark in table for mark in MARKED), chart_id
            assert any("(estimate)" in t for t in titles), (chart_id, titles)
            # every number in the tooltips: none with more digits than an estimate has
            formats = [t.get("format", "") for t in tooltips(chart.spec)]
            assert {f for f in formats if f.endswith("f")} <= {".0f", ".1f", "+.2f"}, (chart_id, formats)
        else:
            assert not any(mark in table for mark in MARKED), chart_id
            assert not any(mark in t for t in titles for mark in MARKED), (chart_id, titles)


# --- building a kind of chart once, binding each chart's rows ----------------------------------------

# two charts of each kind from the tiny project, which share their family's structure
PAIRS: dict[str, tuple[Builder, Builder]] = {
    "ranking": (lambda r, t: charts.ranking(r["tiny-2022"]), lambda r, t: charts.ranking(r["tiny-2020"])),
    "intervals": (lambda r, t: intervals(r["tiny-2022"]), lambda r, t: intervals(r["tiny-2020"])),
    "profile": (
        lambda r, t: charts.profile(r["tiny-2022"], "PRK"),
        lambda r, t: charts.profile(r["tiny-2022"], "KOR"),  # both estimated: one structure
    ),
    "capint": (
        lambda r, t: charts.capability_intent(r["tiny-2022"], "KOR"),
        lambda r, t: charts.capability_intent(r["tiny-2022"], "JPN"),
    ),
    "quadrant": (
        lambda r, t: charts.quadrant(r["tiny-2022"], "destructive"),
        lambda r, t: charts.quadrant(r["tiny-2020"], "destructive"),
    ),
    "posture": (
        lambda r, t: charts.posture_map(r["tiny-2022"]),
        lambda r, t: charts.posture_map(r["tiny-2020"]),
    ),
    "history": (lambda r, t: history(r, "PRK"), lambda r, t: history(r, "KOR")),
    "compare": (
        lambda r, t: compare.scores(r["tiny-2022"], ["PRK", "KOR"]),
        lambda r, t: compare.scores(r["tiny-2022"], ["USA", "JPN", "KOR"]),
    ),
    "compare-capint": (
        lambda r, t: compare.capability_intent(r["tiny-2022"], ["PRK", "KOR"]),
        lambda r, t: compare.capability_intent(r["tiny-2020"], ["USA", "JPN"]),
    ),
    "map": (
        lambda r, t: charts.world_map(r["tiny-2022"], t),
        lambda r, t: charts.world_map(r["tiny-2020"], t),
    ),
}


def families() -> list[base.Family]:
    modules = (bars, scatter, geo, compare)
    return [f for module in modules for f in vars(module).values() if isinstance(f, base.Family)]


def test_pairs_cover_every_kind_and_family() -> None:
    assert {kind.split("-")[0] for kind in PAIRS} == set(KINDS)
    assert len(families()) == len(PAIRS)  # the compare page has two families of chart


@pytest.mark.parametrize("kind", PAIRS)
def test_bound_spec_equals_the_spec_altair_builds(
    tiny_project: Project, topology: dict[str, Any], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows bound into a family's structure give the very spec Altair builds from the rows themselves."""
    results = run_all(tiny_project)
    for family in families():
        family.structure.cache_clear()
    bound = [build(results, topology) for build in PAIRS[kind]]
    hits = sum(f.structure.cache_info().hits for f in families())
    monkeypatch.setattr(base, "BIND", False)
    direct = [build(results, topology) for build in PAIRS[kind]]
    for b, d in zip(bound, direct, strict=True):
        assert b.spec == d.spec
        assert b.json() == d.json()
        assert (b.id, b.title, b.description) == (d.id, d.title, d.description)
    assert bound[0].json() != bound[1].json()
    # a ranking's structure has its countries' order, a posture map's its axes' range, a comparison its
    # first pair: each is built for itself; so is a chart of an estimated edition (its tooltips say so)
    # and one of a published edition; the other pairs share their structure (the world map's tooltips
    # and legend are in its rows, so editions with the same objectives share one)
    assert hits == (
        0 if kind in {"ranking", "intervals", "posture", "compare", "compare-capint", "quadrant"} else 1
    )


def test_bound_map_with_a_dot_equals_the_spec_altair_builds(
    results: dict[str, Results], topology: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    bound = charts.world_map(results["ncpi-2022"], topology, dots)
    monkeypatch.setattr(base, "BIND", False)
    assert bound.json() == charts.world_map(results["ncpi-2022"], topology, dots).json()


def test_family_structure_is_built_once_per_set_of_parameters(tiny_project: Project) -> None:
    result = run_all(tiny_project)["tiny-2022"]
    bars.PROFILE.structure.cache_clear()
    first = charts.profile(result, "PRK")
    assert charts.profile(result, "PRK").json() == first.json()
    charts.profile(result, "KOR")
    assert bars.PROFILE.structure.cache_info()[:2] == (2, 1)  # hits, misses
    renamed = dataclasses.replace(
        result,
        spec=dataclasses.replace(
            result.spec,
            objectives=tuple(dataclasses.replace(o, name=o.name.upper()) for o in result.spec.objectives),
        ),
    )
    shouting = charts.profile(renamed, "PRK")
    assert bars.PROFILE.structure.cache_info()[:2] == (2, 2)  # other objective names: other structure
    assert shouting.spec["layer"][0]["encoding"]["y"]["sort"][0].isupper()
    # the caller owns the spec it gets: changing it changes no other chart
    first.spec["layer"][0]["encoding"]["y"]["sort"].append("changed")
    assert "changed" not in charts.profile(result, "PRK").json()


def test_charts_that_differ_in_a_name_only_share_a_structure_and_the_name_stays_text(
    tiny_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quadrants of one edition differ in the objective's name (in their axis titles) and rows:
    one structure serves them all, each with its own name put in as written, quotes, backslashes and
    markup included: the very spec Altair builds of it."""
    result = run_all(tiny_project)["tiny-2022"]
    odd = 'Sur"veil\\lance <b>&amp;</b> {{ 7*7 }}'
    spec = dataclasses.replace(
        result.spec,
        objectives=tuple(
            dataclasses.replace(o, name=odd) if i == 0 else o for i, o in enumerate(result.spec.objectives)
        ),
    )
    renamed = dataclasses.replace(result, spec=spec)
    scatter.QUADRANT.structure.cache_clear()
    bound = [charts.quadrant(renamed, o) for o in spec.objective_ids]
    assert scatter.QUADRANT.structure.cache_info()[:2] == (len(bound) - 1, 1)  # hits, misses
    axes = [
        layer["encoding"]["x"].get("title") for layer in bound[0].spec["layer"] if "x" in layer["encoding"]
    ]
    assert f"{odd} capability (0–100) (estimate)" in axes
    monkeypatch.setattr(base, "BIND", False)
    direct = [charts.quadrant(renamed, o) for o in spec.objective_ids]
    assert [b.json() for b in bound] == [d.json() for d in direct]


def test_per_results_computes_once_per_results_object(tiny_project: Project) -> None:
    made: list[str] = []

    @per_results
    def rows(results: Results) -> int:
        made.append(results.spec.id)
        return len(made)

    first = run_all(tiny_project)["tiny-2022"]
    assert rows(first) == rows(first) == 1
    rebuilt = run_all(tiny_project)["tiny-2022"]  # the next build's results: equal, not the same
    assert rows(rebuilt) == 2 and rows(first) == 1
    gone = weakref.ref(first)
    del first
    gc.collect()
    assert gone() is None  # the memo does not keep an edition's results alive
    assert made == ["tiny-2022", "tiny-2022"]


def test_inline_values_are_the_rows_altair_inlines() -> None:
    frame = pd.DataFrame(
        {
            "text": ["a", None, float("nan"), "d"],
            "mixed": ["a", 1, float("inf"), 2.5],
            "number": [1.5, float("nan"), float("inf"), -0.0],
            "count": [1, 2, 3, 4],
            "flag": [True, False, True, False],
            "rank": pd.array([1, None, 3, 4], dtype="Int64"),
            "maybe": pd.array([True, None, False, True], dtype="boolean"),
        },
        index=[7, 3, 5, 1],
    )
    transform = alt.data_transformers.get()
    assert transform is not None

    def altair(f: pd.DataFrame) -> Any:
        return transform(f)["values"]

    assert base.inline_values(frame) == altair(frame)
    assert json.dumps(base.inline_values(frame)) == json.dumps(altair(frame))
    assert [type(v) for v in base.inline_values(frame)[0].values()] == [str, str, float, int, bool, int, bool]
    assert base.inline_values(frame.iloc[:0]) == altair(frame.iloc[:0]) == []
    # kinds it does not handle itself go through Altair: dates, categories, nullable floats
    other = frame.assign(
        when=pd.to_datetime(["2020-01-01", "2021-06-30", None, "2022-12-31"]),
        kind=pd.Categorical(["x", "y", None, "x"]),
        share=pd.array([0.5, None, 1.0, 0.0], dtype="Float64"),
    )
    assert base.inline_values(other) == altair(other)
    numpy_inside = frame.assign(
        mixed=pd.Series([np.int64(1), "b", None, 2.5], dtype=object, index=frame.index)
    )
    assert base.inline_values(numpy_inside) == altair(numpy_inside)
    assert type(base.inline_values(numpy_inside)[0]["mixed"]) is int


# --- snapshots of the tiny project ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", TINY)
def test_tiny_chart_snapshot(tiny: dict[str, Chart], kind: str, snapshot: Any) -> None:
    chart = tiny[kind]
    spec = copy.deepcopy(chart.spec)
    for name, values in spec.get("datasets", {}).items():
        if isinstance(values, dict) and values.get("type") == "Topology":
            digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]
            spec["datasets"][name] = f"topology, sha256 {digest}"
    document = {
        "id": chart.id,
        "title": chart.title,
        "description": chart.description,
        "table": records(chart.table),
        "spec": spec,
    }
    assert document == snapshot.use_extension(JSONSnapshotExtension)


# --- indicator and audit charts (scoring/pages/charts/indicators.py) ------------------------------------


def spread(results: Results) -> Results:
    """The tiny 2020 edition with Cyber firms spread over more than a factor of 100 (1 to 1,000)."""
    rows = results.indicators
    assert rows is not None
    firms = rows["indicator"] == "firms"
    wide = rows["value"].where(~firms, rows["iso3"].map({"JPN": 1.0, "KOR": 30.0, "USA": 1000.0}))
    return dataclasses.replace(results, indicators=rows.assign(value=wide))


def audited(project: Project, results: dict[str, Results], edition: str) -> tuple[Results, Any]:
    return results[edition], audit.analyse(project.editions[edition], project.countries, results[edition])


# chart id -> builder, on the tiny project; the first of each kind is snapshotted
AUDIT_CHARTS: dict[str, Callable[[Project, dict[str, Results]], Chart | None]] = {
    "indicator-tiny-2020-firms": lambda p, r: charts.indicator_values(r["tiny-2020"], "firms"),
    "indicator-tiny-2020-units": lambda p, r: charts.indicator_values(r["tiny-2020"], "units"),
    "indicator-tiny-2020-firms-symlog": lambda p, r: charts.indicator_values(spread(r["tiny-2020"]), "firms"),
    "heatmap-tiny-2020-defense": lambda p, r: charts.correlations(*audited(p, r, "tiny-2020"), "defense"),
    "heatmap-tiny-2020-destructive": lambda p, r: charts.correlations(
        *audited(p, r, "tiny-2020"), "destructive"
    ),
    "objective-overall-tiny-2020": lambda p, r: charts.objective_overall(*audited(p, r, "tiny-2020")),
    "objective-overall-tiny-2022": lambda p, r: charts.objective_overall(*audited(p, r, "tiny-2022")),
}
SNAPSHOT_AUDIT_CHARTS = [
    "indicator-tiny-2020-firms",
    "heatmap-tiny-2020-defense",
    "objective-overall-tiny-2020",
]


@pytest.fixture(scope="module")
def audit_charts(tiny_project: Project) -> dict[str, Chart]:
    results = run_all(tiny_project)
    built = {chart_id: build(tiny_project, results) for chart_id, build in AUDIT_CHARTS.items()}
    assert all(c is not None for c in built.values())
    return {chart_id: c for chart_id, c in built.items() if c is not None}


@pytest.mark.parametrize("chart_id", AUDIT_CHARTS)
def test_indicator_and_audit_charts_are_valid_vega_lite(
    audit_charts: dict[str, Chart], schema: dict[str, Any], chart_id: str
) -> None:
    chart = audit_charts[chart_id]
    assert chart.id == chart_id.removesuffix("-symlog")
    error = validate_jsonschema(chart.spec, schema, raise_error=False)
    assert error is None, str(error)[:3000]
    assert chart.spec["description"] == chart.description
    assert chart.description.endswith(".") and chart.description.count(". ") == 0  # one sentence
    assert strict_json(chart.json()) == chart.spec


@pytest.mark.parametrize(
    ("values", "scale"),
    [
        ([1, 30, 100], "linear"),  # a factor of 100 exactly
        ([1, 30, 101], "symlog"),
        ([0, 0, 0.5, 60], "symlog"),  # zeros do not count in the spread, and keep their (empty) bar
        ([-1, 1, 1000], "linear"),  # a negative value: no log scale
        ([0, 0], "linear"),
        ([float("nan"), 2, 500], "symlog"),
        ([], "linear"),
    ],
)
def test_value_scale(values: list[float], scale: str) -> None:
    assert charts.value_scale(pd.Series(values, dtype=float)) == scale


def test_indicator_chart_rows_and_scale(audit_charts: dict[str, Chart]) -> None:
    linear = audit_charts["indicator-tiny-2020-firms"]
    # North Korea has no value of firms: left out; the others highest first, as in the table
    assert records(linear.table) == [
        {"country": "United States", "value (count)": 10.0, "normalised (0–1)": 1.0},
        {"country": "Japan", "value (count)": 7.0, "normalised (0–1)": 0.5},
        {"country": "Republic of Korea", "value (count)": 4.0, "normalised (0–1)": 0.0},
    ]
    rows = dataset(linear.spec)
    assert [(r["country"], r["value"], r["normalised"], r["order"]) for r in rows] == [
        (r["country"], r["value (count)"], r["normalised (0–1)"], i)
        for i, r in enumerate(records(linear.table))
    ]
    x = linear.spec["encoding"]["x"]
    assert x["title"] == "Cyber firms (count)" and "type" not in x.get("scale", {})
    assert linear.spec["encoding"]["tooltip"][1]["title"] == "Value (count)"
    assert linear.spec["encoding"]["y"]["sort"] == {"field": "order", "order": "ascending"}
    # each bar links to its country's page
    assert linear.spec["encoding"]["href"] == {"field": "url", "type": "nominal"}
    assert [r["url"] for r in rows] == ["countries/usa/", "countries/jpn/", "countries/kor/"]
    assert "symmetric log" not in linear.description

    wide = audit_charts["indicator-tiny-2020-firms-symlog"]
    x = wide.spec["encoding"]["x"]
    assert x["title"] == "Cyber firms (count, symmetric log scale)"
    assert x["scale"] == {"type": "symlog", "constant": 1.0}
    assert x["axis"]["values"] == [0, 10, 100, 1000]  # 1 would crowd 0
    assert [r["value (count)"] for r in records(wide.table)] == [1000, 30, 1]
    assert "symmetric log scale" in wide.description


def test_indicator_chart_greys_the_unranked(audit_charts: dict[str, Chart]) -> None:
    chart = audit_charts["indicator-tiny-2020-units"]  # North Korea has units but is not ranked in 2020
    rows = {r["country"]: r for r in dataset(chart.spec)}
    assert rows["North Korea"]["status"] == "not ranked" and rows["North Korea"]["normalised"] is None
    assert chart.spec["encoding"]["color"]["scale"]["domain"] == ["ranked", "not ranked"]
    assert "1 not ranked (grey)" in chart.description


def test_heatmap_cells_and_table(audit_charts: dict[str, Chart], tiny_project: Project) -> None:
    chart = audit_charts["heatmap-tiny-2020-defense"]
    results = run_all(tiny_project)
    _, found = audited(tiny_project, results, "tiny-2020")
    r = round(float(found.matrices["defense"].loc["firms", "infections"]), 2)
    assert records(chart.table) == [
        {"indicator": "Cyber firms", "Cyber firms": 1.0, "Infection rate": r},
        {"indicator": "Infection rate", "Cyber firms": r, "Infection rate": 1.0},
    ]
    cells = {(c["indicator"], c["other"]): c for c in chart.spec["datasets"][chart.spec["data"]["name"]]}
    assert cells["Cyber firms", "Infection rate"]["r"] == r
    assert cells["Cyber firms", "Infection rate"]["label"] == f"{r:.2f}"
    assert cells["Cyber firms", "Infection rate"]["n"] == 3  # JPN, KOR, USA: North Korea is not ranked
    colour = chart.spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour == {"domain": [-1, 1], "scheme": "redblue"}
    # the title keeps the site's rule (two lines, 11 px on a narrow chart) but is not cut to the cells'
    # width: it starts above the indicator names and may use their room too
    title = chart.spec["title"]
    assert title["text"] == ["Tiny index 2020", "correlations within Defense"]
    assert title["fontSize"] == {"expr": "width < 320 ? 11 : 13"}
    assert title["limit"] == 0


def test_objective_overall_bars(audit_charts: dict[str, Chart], tiny_project: Project) -> None:
    results = run_all(tiny_project)
    _, found = audited(tiny_project, results, "tiny-2022")
    chart = audit_charts["objective-overall-tiny-2022"]
    expected = [round(float(v), 2) for v in found.objective_overall["r"]]
    assert [row["r with overall"] for row in records(chart.table)] == expected
    assert [row["r"] for row in dataset(chart.spec)] == expected
    assert chart.spec["encoding"]["x"]["scale"] == {"domain": [-1, 1]}


@pytest.mark.parametrize("chart_id", AUDIT_CHARTS)
def test_indicator_and_audit_bound_spec_equals_the_spec_altair_builds(
    tiny_project: Project, chart_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = run_all(tiny_project)
    bound = AUDIT_CHARTS[chart_id](tiny_project, results)
    monkeypatch.setattr(base, "BIND", False)
    direct = AUDIT_CHARTS[chart_id](tiny_project, results)
    assert bound is not None and direct is not None
    assert bound.json() == direct.json()


@pytest.mark.parametrize("chart_id", SNAPSHOT_AUDIT_CHARTS)
def test_tiny_indicator_and_audit_chart_snapshot(
    audit_charts: dict[str, Chart], chart_id: str, snapshot: Any
) -> None:
    chart = audit_charts[chart_id]
    document = {
        "id": chart.id,
        "title": chart.title,
        "description": chart.description,
        "table": records(chart.table),
        "spec": chart.spec,
    }
    assert document == snapshot.use_extension(JSONSnapshotExtension)


def test_an_objective_with_too_many_indicators_for_a_heatmap_gets_none(
    tiny_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """71 or more indicators would pass Altair's 5,000-row limit in one heatmap: the page keeps the
    audit's tables instead of failing the build."""
    from scoring.pages.charts import indicators as module

    results = run_all(tiny_project)
    result, found = audited(tiny_project, results, "tiny-2020")
    assert charts.correlations(result, found, "defense") is not None
    k = found.matrices["defense"].shape[1]
    monkeypatch.setattr(module, "MAX_ROWS", k * k - 1)
    assert charts.correlations(result, found, "defense") is None


# --- links, thresholds, legends ------------------------------------------------------------------------


def _urls(spec: dict[str, Any]) -> set[str]:
    return {row["url"] for rows in spec["datasets"].values() for row in rows if "url" in row}


def _encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [spec.get("encoding", {})] + [layer.get("encoding", {}) for layer in spec.get("layer", [])]


def test_country_marks_link_to_country_pages(real: dict[str, Chart], results: dict[str, Results]) -> None:
    """A bar or point that stands for a country links to its page: a path from the site's root, which
    charts.js resolves against the root wherever the site is served (under /cyberpower/ here)."""
    ranked = results["ncpi-2022"].ranked
    for chart_id in (
        "ranking-ncpi-2022",
        "intervals-ncpi-2022",
        "posture-ncpi-2022",
        "quadrant-ncpi-2022-financial",
    ):
        spec = real[chart_id].spec
        assert {"field": "url", "type": "nominal"} in [e.get("href") for e in _encodings(spec)], chart_id
        assert _urls(spec) == {f"countries/{i.lower()}/" for i in ranked.index}, chart_id
    rows = dataset(real["ranking-ncpi-2022"].spec)
    usa = next(r for r in rows if r["country"] == "United States")
    assert (
        urljoin("https://example.org/cyberpower/", usa["url"])
        == "https://example.org/cyberpower/countries/usa/"
    )


def test_objective_marks_link_to_objective_pages(real: dict[str, Chart], results: dict[str, Results]) -> None:
    objectives = {f"objectives/{o}/" for o in results["ncpi-2022"].spec.objective_ids}
    for chart_id in ("profile-ncpi-2022-prk", "capint-ncpi-2022-prk"):
        spec = real[chart_id].spec
        assert _urls(spec) == objectives, chart_id
        assert all(e["href"] == {"field": "url", "type": "nominal"} for e in _encodings(spec) if "x" in e)
    prk = dataset(real["profile-ncpi-2022-prk"].spec)
    assert next(r for r in prk if r["objective_name"] == "Financial")["url"] == "objectives/financial/"


def test_history_points_link_to_their_edition(real: dict[str, Chart]) -> None:
    spec = real["history-kor"].spec
    assert _urls(spec) == {"rankings/ncpi-2020/", "rankings/ncpi-2022/"}
    [line, points] = spec["layer"]
    assert "href" not in line["encoding"] and points["encoding"]["href"]["field"] == "url"


def test_profile_has_a_legend_for_the_median_tick(real: dict[str, Chart]) -> None:
    [bar_layer, ticks] = real["profile-ncpi-2022-prk"].spec["layer"]
    assert "color" not in bar_layer["encoding"]
    colour = ticks["encoding"]["color"]
    assert colour["scale"] == {"domain": ["median of the ranked countries"], "range": ["#e15759"]}
    assert colour["legend"]["orient"] == "bottom" and colour["legend"]["symbolType"] == bars.TICK_SYMBOL
    assert {"calculate": "'median of the ranked countries'", "as": "mark"} in ticks["transform"]


def _layers_of(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_posture_draws_the_rule_thresholds_labelled(
    real: dict[str, Chart], results: dict[str, Results]
) -> None:
    """The posture chart draws the current rule (orientation thresholds, offense tiers), each line
    labelled with what it means, not the score balance of the first rule."""
    result = results["ncpi-2022"]
    rule = result.spec.posture
    spec = real["posture-ncpi-2022"].spec
    texts = {row["label"]: row for rows in spec["datasets"].values() for row in rows if "label" in row}
    assert texts["attack-heavy: +0.20 or more"]["orientation"] == rule.attack_heavy_at
    assert texts["defensive: −0.20 or less, unless strong offense"]["orientation"] == rule.defensive_at
    ranked = result.ranked
    strong = ranked.loc[ranked["offense_tier"] == "strong", "offense"]
    moderate = ranked.loc[ranked["offense_tier"] == "moderate", "offense"]
    weak = ranked.loc[ranked["offense_tier"] == "weak", "offense"]
    assert moderate.max() < texts["↑ strong offense (top third)"]["offense"] < strong.min()
    assert weak.max() < texts["↑ moderate offense"]["offense"] < moderate.min()
    assert len(_layers_of(spec, "rule")) == 2 and len(_layers_of(spec, "text")) == 5
    assert not any("balance" in row for rows in spec["datasets"].values() for row in rows)


def test_posture_axes_fit_the_data(real: dict[str, Chart], results: dict[str, Results]) -> None:
    for edition in ("ncpi-2022", "ncpi-2020"):
        ranked = results[edition].ranked
        [points] = _layers_of(real[f"posture-{edition}"].spec, "circle")
        low, high = points["encoding"]["x"]["scale"]["domain"]
        least = min(ranked["orientation"].min(), results[edition].spec.posture.defensive_at)
        most = max(ranked["orientation"].max(), results[edition].spec.posture.attack_heavy_at)
        assert -1 <= low <= least and most <= high <= 1
        assert least - low <= 0.2 and high - most <= 0.2, (edition, low, high)  # no wide empty margin
        bottom, top = points["encoding"]["y"]["scale"]["domain"]
        assert bottom == 0  # no offense at all is a meaningful end
        assert ranked["offense"].max() <= top <= ranked["offense"].max() * 1.25


def test_posture_point_names_its_country_on_hover(real: dict[str, Chart]) -> None:
    spec = real["posture-ncpi-2022"].spec
    [points] = _layers_of(spec, "circle")
    [hover] = [p for p in spec["params"] if p["name"] != base.DARK_MODE]
    assert hover["views"] == [points["name"]] == ["points"]
    assert hover["select"] == {
        "type": "point",
        "on": "pointerover",
        "fields": ["iso3"],
        "clear": "pointerout",
    }
    [name] = [t for t in _layers_of(spec, "text") if t["encoding"]["text"]["field"] == "country"]
    assert {"filter": {"param": hover["name"], "empty": False}} in name["transform"]


@pytest.mark.parametrize("chart", ["posture-ncpi-2022", "quadrant-ncpi-2022-financial"])
def test_scatter_labels_take_the_palettes_text_colour(real: dict[str, Chart], chart: str) -> None:
    """A compiled spec's text keeps its own colour whatever the runtime config says: the labels follow
    the `dark` parameter that charts.js sets (black in the static image)."""
    spec = real[chart].spec
    assert {"name": base.DARK_MODE, "value": False} in spec["params"]
    texts = _layers_of(spec, "text")
    assert texts and all(t["mark"]["color"] == {"expr": 'dark ? "#e8eaf0" : "black"'} for t in texts)


@pytest.mark.parametrize(
    ("rank", "sharing", "score", "words"),
    [
        (1, 1, 50.0, "1st"),
        (4, 27, 0.0, "tied 4th (27 countries at 0)"),
        (3, 2, 12.5, "tied 3rd"),
        (4, 27, None, "tied 4th"),
    ],
)
def test_place_counts_a_tie_at_zero(rank: int, sharing: int, score: float | None, words: str) -> None:
    assert place(rank, sharing, score) == words


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _over(colour: str, alpha: float, background: str) -> str:
    mixed = [
        round(alpha * int(colour[i : i + 2], 16) + (1 - alpha) * int(background[i : i + 2], 16))
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in mixed)


SLATE, WHITE = "#1e2129", "#ffffff"  # Material's slate background (rgb(30, 33, 41)), and the light one
DARK_CHOICE = re.compile(r'^dark \? ("[^"]*"|[\d.]+) : ("[^"]*"|[\d.]+)$')


def _by_mode(expr: str) -> tuple[Any, Any]:
    """(light, dark) of an `in_dark` expression."""
    found = DARK_CHOICE.match(expr)
    assert found, expr
    return json.loads(found.group(2)), json.loads(found.group(1))


def test_rank_interval_dot_stands_out_in_either_palette(real: dict[str, Chart]) -> None:
    """The dot is its dark blue on a light page (and in the static image: the `dark` signal starts
    false) and a light blue on Material's slate: at least 3:1 against the page either way."""
    spec = real["intervals-ncpi-2022"].spec
    assert {"name": "dark", "value": False} in spec["params"]
    [dots] = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
    light, dark = _by_mode(dots["mark"]["color"]["expr"])
    assert light == "#1f3b57"  # as before
    assert _contrast(light, WHITE) >= 3 and _contrast(dark, SLATE) >= 3
    assert _contrast(light, SLATE) < 3  # why the dark palette needs its own


def test_map_grey_is_apart_from_balanced_in_the_dark(tiny: dict[str, Chart]) -> None:
    """On the map, "not in this edition" (grey at the `dark`-dependent opacity) and "balanced" are at
    least 3:1 apart on Material's slate; on a light page the grey is as before (half opacity)."""
    spec = tiny["map"].spec
    assert {"name": "dark", "value": False} in spec["params"]
    alpha = geo.GREY_ALPHA.strip("()")
    light, dark = _by_mode(alpha)
    assert light == 0.5
    assert _contrast(_over(geo.GREY, dark, SLATE), charts.POSTURE_COLOURS["balanced"]) >= 3
    assert _contrast(_over(geo.GREY, light, SLATE), charts.POSTURE_COLOURS["balanced"]) < 3  # before
    text = json.dumps(spec)
    # in the world and in Europe, the shapes outside the edition and the edition's; the dots; the legend
    assert text.count(geo.GREY_ALPHA) == 6


def test_tier_share_words_the_rules_offense_tiers(results: dict[str, Results]) -> None:
    """The strong tier's share in words comes from the rule's `offense_tiers`, the same on the posture
    chart's tier line and on the posture page."""
    result = results["ncpi-2020"]
    rule = result.spec.posture
    assert scatter.tier_share(rule) == "third"
    quarters = dataclasses.replace(rule, offense_tiers=4)
    assert [scatter.tier_share(dataclasses.replace(rule, offense_tiers=n)) for n in (2, 4, 10)] == [
        "half",
        "quarter",
        "tenth",
    ]
    changed = dataclasses.replace(result, spec=dataclasses.replace(result.spec, posture=quarters))
    labels = {
        row.get("label") for rows in scatter.posture_map(changed).spec["datasets"].values() for row in rows
    }
    assert "↑ strong offense (top quarter)" in labels
    assert contexts.posture_rule(changed).tier_share == "quarter"


def test_uncrowded_leaves_occupied_boxes_free() -> None:
    frame = pd.DataFrame({"x": [0.0, 50.0, 100.0], "y": [0.0, 0.5, 1.0], "score": [1.0, 3.0, 2.0]})
    middle = (310.0 + scatter.LABEL_DX, 330.0, 175.0, 185.0)  # just right of the middle point, at its height
    kept = scatter.uncrowded(frame, "x", "y", (100, 1), 360, occupied=[middle])
    assert kept.tolist() == [True, False, True]
    above = (300.0, 340.0, 200.0, 210.0)  # clear of its label
    assert scatter.uncrowded(frame, "x", "y", (100, 1), 360, occupied=[above]).tolist() == [True, True, True]


def test_posture_labels_leave_the_threshold_labels_room(
    real: dict[str, Chart], results: dict[str, Results]
) -> None:
    """No country label of the posture chart overlaps where the threshold lines' labels are drawn (as
    wide as on a phone); without that room, some would."""
    spec = real["posture-ncpi-2022"].spec
    points = pd.DataFrame(dataset(spec))
    rows = [row for values in spec["datasets"].values() for row in values]
    verticals = pd.DataFrame([r for r in rows if "side" in r])
    horizontals = pd.DataFrame([r for r in rows if "label" in r and "side" not in r])
    [circles] = [layer for layer in spec["layer"] if layer["mark"]["type"] == "circle"]
    x_domain = tuple(circles["encoding"]["x"]["scale"]["domain"])
    top = circles["encoding"]["y"]["scale"]["domain"][1]
    boxes = scatter._label_boxes(verticals, horizontals, x_domain, top)
    assert len(boxes) == len(verticals) + len(horizontals) >= 3

    def overlapping(labelled: pd.Series) -> list[str]:
        px = (points["orientation"] - x_domain[0]) / (x_domain[1] - x_domain[0]) * scatter.PLOT_WIDTH
        py = points["offense"] / top * scatter.POSTURE_HEIGHT
        return [
            iso3
            for iso3, x, y, kept in zip(points["iso3"], px, py, labelled, strict=True)
            if kept
            and any(
                x + scatter.LABEL_DX < x1
                and x + scatter.LABEL_DX + scatter.LABEL_W > x0
                and y + scatter.LABEL_H / 2 > y0
                and y - scatter.LABEL_H / 2 < y1
                for x0, x1, y0, y1 in boxes
            )
        ]

    assert overlapping(points["labelled"]) == []
    spans = (x_domain[1] - x_domain[0], top)
    unaware = scatter.uncrowded(
        points, "orientation", "offense", spans, scatter.POSTURE_HEIGHT, (x_domain[0], 0)
    )
    assert overlapping(unaware) != []


def test_map_data_gives_the_page_the_specs_colours_tooltips_links_and_legend(
    results: dict[str, Results],
) -> None:
    """What map.js colours the shared shapes with is what the map's spec holds: per country its shape's
    id, its page and per metric the spec's colour, tooltip fields and description; per metric the
    menu's label and the legend's title and entries (the grey one last)."""
    result = results["ncpi-2020"]
    data = geo.map_data(result, lambda i: f"countries/{i.lower()}/")
    rows, legend, found = geo.map_frames(result, lambda i: f"countries/{i.lower()}/")
    assert [m["key"] for m in data["metrics"]] == [m.key for m in found]
    assert [m["label"] for m in data["metrics"]] == [m.label for m in found]
    score = data["metrics"][0]
    expected = legend[legend["metric"] == "score"]
    assert score["title"] == "Overall score" and score["legend"][-1] == [expected["label"].iloc[-1], geo.GREY]
    assert score["legend"] == [[r.label, r.colour] for r in expected.itertuples()]
    by_id = {c["id"]: c for c in data["countries"]}
    assert len(by_id) == len(result.overall)
    kor = rows.set_index("iso3").loc["KOR"]
    shown = by_id[geo.numeric_code("KOR")]
    assert shown["url"] == "countries/kor/" and shown["ranked"] is True
    for metric in found:
        colour, tip, description = shown["metrics"][metric.key]
        assert colour == kor[f"c_{metric.key}"] and description == kor[f"d_{metric.key}"]
        assert tip == [[k, str(v)] for k, v in kor[f"t_{metric.key}"].items()]
    prk = by_id[geo.numeric_code("PRK")]  # listed, not ranked in 2020: grey, and no dot
    assert prk["ranked"] is False and prk["metrics"]["score"][0] == geo.GREY


def test_geometry_spec_draws_every_shape_once_per_view_and_the_dots(topology: dict[str, Any]) -> None:
    """The spec of the shared shapes: the world (shapes and dots) and Europe, with the map's own
    projections, each mark described by the ISO numeric code it is keyed by."""
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    spec = geo.geometry_spec(topology, dots)
    world, europe = spec["layer"]
    assert world["projection"]["type"] == "equalEarth"
    assert europe["projection"]["type"] == "azimuthalEqualArea"
    assert europe["projection"]["clipExtent"] == europe["projection"]["extent"]
    marks = [layer for view in (world, europe) for layer in view["layer"]]
    assert all(layer["encoding"]["description"]["field"] == "id" for layer in marks)
    [dot] = [layer for layer in world["layer"] if layer["mark"]["type"] == "circle"]
    assert dataset(spec, dot["data"]["name"]) == [{"id": "702", "latitude": 1.29, "longitude": 103.85}]
    assert spec["datasets"][geo.TOPOLOGY] is topology
