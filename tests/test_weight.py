"""Page weight: the map's country shapes reach the browser once, as one shared file, trimmed to what
the map draws, while the static images are drawn from the full topology as before."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scoring.inputs import mapdata
from scoring.inputs.load import Project
from scoring.method.engine import run_all
from scoring.pages.charts import geo
from scoring.publish import svg

from .conftest import ROOT


@pytest.fixture(scope="module")
def topology() -> dict[str, Any]:
    return mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)


def _outlines(topology: dict[str, Any]) -> list[tuple[str | None, str, Any]]:
    """Each shape (id, type, rings) with its rings as point lists, each arc taken forwards or
    backwards as the shape names it: what the browser draws."""

    def arc(i: int) -> list[Any]:
        return topology["arcs"][i] if i >= 0 else ["reversed", topology["arcs"][~i]]

    def resolved(arcs: Any) -> Any:
        return [resolved(a) for a in arcs] if isinstance(arcs, list) else arc(arcs)

    shapes = topology["objects"]["countries"]["geometries"]
    return [(g.get("id"), g["type"], resolved(g["arcs"])) for g in shapes]


def test_the_browser_topology_keeps_every_shape_drawn_and_nothing_else(topology: dict[str, Any]) -> None:
    trimmed = geo.browser_topology(topology, ["USA", "PRK"])
    before, after = _outlines(topology), _outlines(trimmed)
    drawn = [shape for shape in before if shape[0] != geo.ANTARCTICA]
    assert len(drawn) == len(before) - 1
    assert after == drawn  # the shapes without an id (Kosovo, N. Cyprus, Somaliland) included
    assert trimmed["transform"] == topology["transform"]
    assert list(trimmed["objects"]) == ["countries"]  # no "land"
    assert all("properties" not in g for g in trimmed["objects"]["countries"]["geometries"])
    assert len(trimmed["arcs"]) < len(topology["arcs"])  # Antarctica's own arcs are gone
    text = json.dumps(trimmed, separators=(",", ":"))
    assert len(text) < 0.9 * len(json.dumps(topology, separators=(",", ":")))


def test_antarctica_stays_when_an_edition_has_it(topology: dict[str, Any]) -> None:
    assert _outlines(geo.browser_topology(topology, ["ATA"])) == _outlines(topology)


def test_the_compiled_map_loads_the_shared_file_and_the_image_is_unchanged(
    tiny_project: Project, topology: dict[str, Any]
) -> None:
    """The browser's spec names the shared file where the topology was; the static image is drawn from
    the inline topology, exactly as without the `served` note."""
    spec = geo.world_map(run_all(tiny_project, draws=0)["tiny-2022"], topology).spec
    assert spec["usermeta"]["served"] == {geo.TOPOLOGY: geo.SERVED_TOPOLOGY}
    compiled = json.loads(svg.render(spec, None, "vega"))
    shapes = {"name": geo.TOPOLOGY, "format": {"type": "topojson", "feature": "countries"}}
    assert compiled["data"][0] == {**shapes, "url": geo.SERVED_TOPOLOGY}
    assert '"arcs"' not in json.dumps(compiled) and "usermeta" not in compiled
    plain = {k: v for k, v in spec.items() if k != "usermeta"}
    assert svg.render(spec, None) == svg.render(plain, None)
    inline = json.loads(svg.render(plain, None, "vega"))
    assert inline["data"][0] == {**shapes, "values": topology}
    # apart from where the shapes come from, the browser's spec is the one compiled from the inline copy
    assert {**compiled, "data": compiled["data"][1:]} == {**inline, "data": inline["data"][1:]}
