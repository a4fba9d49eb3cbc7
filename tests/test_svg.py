"""Static chart images: the same SVG for the same spec, however many processes made them, in any order."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import altair as alt
import pandas as pd
import pytest
import vl_convert

from scoring.inputs import mapdata
from scoring.inputs.load import load_project
from scoring.method.engine import run_all
from scoring.pages import charts
from scoring.pages.charts import geo
from scoring.publish import svg

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    project = load_project(FIXTURES / "tiny" / "data", FIXTURES / "tiny" / "indices")
    results = run_all(project)
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    made = [charts.world_map(r, topology, None) for r in results.values()]
    made += [charts.ranking(r) for r in results.values()]
    made += [charts.profile(r, iso3) for r in results.values() for iso3 in r.ranked.index]
    return {c.id: c.spec for c in made}


def test_helper_processes_give_the_images_this_process_would(
    specs: dict[str, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = {chart_id: svg.render(spec, None) for chart_id, spec in specs.items()}
    monkeypatch.setattr(svg, "PARALLEL_FROM", 2)
    monkeypatch.setattr(svg.os, "cpu_count", lambda: 3)  # two helper processes, even on a small machine
    together = svg.render_many(specs, tmp_path / "cache")
    assert together == alone
    assert len(list((tmp_path / "cache" / "svg").glob("*.svg"))) == len(specs)
    assert list((tmp_path / "cache" / "svg").glob("*.partial")) == []


def test_an_image_does_not_depend_on_what_was_rendered_before(specs: dict[str, dict[str, Any]]) -> None:
    # charts with a continuous colour legend, drawn as a gradient, which vl-convert numbers per process
    shaded = [
        alt.Chart(pd.DataFrame({"x": ["a", "b"], "v": [0.0, float(n)]}))
        .mark_rect()
        .encode(x="x:N", color="v:Q")
        .to_dict()
        for n in (1, 2, 3)
    ]
    maps = [spec for chart_id, spec in sorted(specs.items()) if chart_id.startswith("map-")]
    first = [svg.render(spec, None) for spec in shaded + maps]
    again = [svg.render(spec, None) for spec in reversed(shaded + maps)][::-1]
    assert first == again
    assert all(b"gradient_0" in image and b"gradient_1" not in image for image in first[: len(shaded)])


def test_the_png_made_from_the_svg_is_the_one_vl_convert_makes_of_the_spec(
    specs: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    chosen = {i: s for i, s in sorted(specs.items()) if i.startswith(("map-", "ranking-"))}
    assert chosen
    for spec in chosen.values():
        _, on_white = svg._fixed(spec, "png")
        direct = bytes(vl_convert.vegalite_to_png(on_white, scale=svg.PNG_SCALE))
        assert svg.render(spec, None, "png") == direct
    # through the cache too, where the PNG is made from the SVG file already there
    made = svg.render_many(chosen, tmp_path / "cache", "svg")
    pngs = svg.render_many(chosen, tmp_path / "cache", "png")
    assert set(made) == set(pngs) and all(png.startswith(b"\x89PNG") for png in pngs.values())


def test_a_png_needs_an_svg_of_vl_converts_making() -> None:
    with pytest.raises(ValueError, match="not an SVG made by vl-convert"):
        svg._png("<html></html>")


def test_static_images_leave_the_marks_links_to_the_live_chart(specs: dict[str, dict[str, Any]]) -> None:
    """The marks of the live chart link to pages (their `href`, in layers too); the static images have
    no links: shown as an <img> or downloaded, a link could not be followed, and each cost vl-convert
    a wait of ~10 ms."""

    def links(spec: dict[str, Any]) -> int:
        own = "href" in spec.get("encoding", {})
        return own + sum(links(view) for view in spec.get("layer", []))

    chosen = {i: s for i, s in specs.items() if i.startswith(("ranking-", "profile-", "map-"))}
    assert {i.split("-")[0] for i, s in chosen.items() if links(s)} == {"ranking", "profile"}
    for spec in chosen.values():
        assert links(svg._fixed_spec(spec, "vega")) == links(spec)
        assert links(svg._fixed_spec(spec, "svg")) == 0 == links(svg._fixed_spec(spec, "png"))
        image = svg.render(spec, None).decode()
        assert "<a " not in image and "href" not in image and "vega-datasets" not in image
    assert svg._unlinked({"hconcat": [{"encoding": {"href": {}, "x": {}}}]}) == {
        "hconcat": [{"encoding": {"x": {}}}]
    }
    assert svg._unlinked({"spec": {"encoding": {"href": {}}}}) == {"spec": {"encoding": {}}}


def test_map_shapes_file_is_the_static_maps_shapes_keyed_and_rounded() -> None:
    """The shared shapes file (`svg.geometry`) has the world (every shape but Antarctica, and the
    dots) then Europe, each shape keyed by its ISO numeric code, drawn where the map's static image
    draws it (to 0.1 px), with no colour and no text."""
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    text = svg.geometry(geo.geometry_spec(topology, dots), None).decode()
    root = ElementTree.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("viewBox") == f"0 0 {svg.FALLBACK_WIDTH} 712"
    world, europe = root.findall(f"{ns}g")
    assert [world.get("data-part"), europe.get("data-part")] == ["0", "1"]
    shapes = topology["objects"]["countries"]["geometries"]
    ids = {str(g.get("id", geo.UNKEYED)) for g in shapes} - {geo.ANTARCTICA}
    assert geo.UNKEYED in ids  # Kosovo, Northern Cyprus...: drawn, in no edition
    drawn = [p.get("data-id") for p in world.findall(f"{ns}path")]
    assert set(drawn) == ids and len(drawn) == len(shapes) - 1
    assert {p.get("data-id") for p in world.findall(f"{ns}circle")} == {"702"}  # Singapore
    in_europe = {p.get("data-id") for p in europe.findall(f"{ns}path")}
    assert {"276", "250", "643"} <= in_europe < ids and "840" not in in_europe  # not the United States
    assert re.findall(r"\d\.\d\d", text) == []
    assert not re.search(r"fill|stroke|style|<text|aria", text)
    # where the static image of a map draws Germany (world, then Europe), to 0.1 px
    result = run_all(load_project(ROOT / "data", ROOT / "indices"))["ncpi-2022"]
    image = svg.render(charts.world_map(result, topology, dots).spec, None).decode()
    static = re.findall(r'<path aria-label="Germany: [^"]*"[^>]*?d="([^"]*)"', image)
    germany = [p.get("d") for p in root.iter(f"{ns}path") if p.get("data-id") == "276"]
    rounded = [svg._NUMBER.sub(lambda m: svg._round(float(m[0])), d) for d in static]
    assert germany == rounded and len(germany) == 2


def test_a_png_is_made_only_for_the_charts_asked_and_handed_once_per_file(
    specs: dict[str, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`start(..., pngs=...)` makes every chart's SVG and Vega spec, and a PNG of the charts in `pngs`
    only; helpers are handed each file once, so a chart handed without its PNG (it was not the main
    chart of the page that showed it first) still gets one when a later page makes it its main chart."""
    chosen = dict(sorted(i for i in specs.items() if i[0].startswith("profile-"))[:3])
    first, *others = chosen
    made, _ = svg.start(chosen, tmp_path / "alone", runtime=False, pngs={first}).wait()
    assert {kind: sorted(files) for kind, files in made.items()} == {
        "svg": sorted(chosen),
        "png": [first],
        "vega": sorted(chosen),
    }
    assert made["png"][first].startswith(b"\x89PNG")

    handed: list[tuple[str, str]] = []
    monkeypatch.setattr(svg, "_hand", lambda helper, cache, tasks: handed.extend(t[:2] for t in tasks))
    cache = tmp_path / "cache"
    handing = svg.Handing([object(), object()], cache)  # type: ignore[list-item]  # no process: `_hand` is ours
    handing.hand({i: chosen[i] for i in others}, pngs=[])  # a page whose main chart is another one
    handing.hand(chosen, pngs=[others[0]])  # a page whose main chart was on the page before
    kinds = [kind for kind, _ in handed]
    assert kinds.count("svg") == kinds.count("vega") == 3 and kinds.count("png") == 1
    assert len(set(handed)) == len(handed)
    assert ("png", svg._key(svg._canonical(chosen[others[0]]), "png")) in handed


def test_the_image_helpers_import_neither_pandas_nor_altair() -> None:
    """A helper process (`python -m scoring.publish.svg`) starts with each build that makes images:
    importing pandas and Altair there cost ~1.5 s of CPU each where no bytecode is cached."""
    code = "import sys, scoring.publish.svg; print(sorted({'pandas', 'altair', 'numpy'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_image_helpers_run_below_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The helpers yield the CPU to the process rendering the pages, whose work comes first."""
    import time

    monkeypatch.setattr(svg.os, "cpu_count", lambda: 2)
    helpers = svg.started(tmp_path / "cache")
    try:
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            theirs = [os.getpriority(os.PRIO_PROCESS, h.pid) for h in helpers]
            if theirs == [min(mine + svg.HELPER_NICENESS, 19)] * 2:
                break
            time.sleep(0.05)
        assert theirs == [min(mine + svg.HELPER_NICENESS, 19)] * 2
    finally:
        svg.dismiss(helpers)


@pytest.fixture(scope="module")
def shipped_specs() -> dict[str, dict[str, Any]]:
    from scoring.publish import sitegen

    captured: dict[str, dict[str, Any]] = {}
    start = svg.start

    def capture(specs: dict[str, dict[str, Any]], *args: Any, **kwargs: Any) -> svg.Rendering:
        captured.update(specs)
        return start(specs, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(svg, "start", capture)
        paths = sitegen.Paths.for_project(ROOT, ROOT / "data", ROOT / "indices")
        sitegen.generate(*sitegen.load_and_score(paths), replace(paths, cache=None), wait=False)
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    captured["geometry"] = geo.geometry_spec(
        topology, mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    )
    return captured


def test_each_chart_compiles_once_per_structure_to_what_vl_convert_makes_of_it(
    shipped_specs: dict[str, dict[str, Any]],
) -> None:
    """Every shipped chart's Vega spec, for the browser and for the static images, is what vl-convert
    compiles of the chart directly, though charts of one structure were compiled once; and the SVG drawn
    from it is the one vl-convert draws of the Vega-Lite spec."""
    assert len(shipped_specs) > 200
    svg._structures.clear()
    for kind in ("vega", "svg"):
        for chart_id, spec in shipped_specs.items():
            fixed = svg._fixed_spec(spec, kind)
            assert svg.compiled(fixed) == vl_convert.vegalite_to_vega(fixed), (kind, chart_id)
    assert 40 < len(svg._structures) < len(shipped_specs)  # shared: 72 structures for 215 charts
    for chart_id in sorted(shipped_specs)[::15]:
        fixed = svg._fixed_spec(shipped_specs[chart_id], "svg")
        assert vl_convert.vega_to_svg(svg.compiled(fixed)) == vl_convert.vegalite_to_svg(fixed), chart_id


def test_a_chart_that_does_not_fit_the_placeholders_is_compiled_directly() -> None:
    """A title that is not a dict, a dataset whose name would need escaping, a NUL in a description:
    compiled directly, never from a structure that would not hold."""
    rows = [{"a": 1}, {"a": 2}]
    base = {"mark": "bar", "data": {"name": "d-1"}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    cases = [
        {**base, "datasets": {"d-1": rows}, "title": "plain"},
        {**base, "data": {"name": 'd "1"'}, "datasets": {'d "1"': rows}},
        {**base, "datasets": {"d-1": rows}, "description": "a\x00b"},
        {**base, "datasets": {"d-1": rows}, "title": {"text": ["one", "two"]}, "description": "shown"},
    ]
    for spec in cases:
        assert svg.compiled(spec) == vl_convert.vegalite_to_vega(spec)


def test_static_images_name_the_font_they_are_laid_out_in() -> None:
    """vl-convert lays text out in Liberation Sans, its "sans-serif": the static images name it (and
    fonts of the same widths) for the reader's browser, and are otherwise what "sans-serif" gives."""
    rows = pd.DataFrame({"objective": ["Information control", "Norms"], "value": [3.0, 5.0]})
    spec = (
        alt.Chart(rows).mark_bar().encode(y="objective:N", x="value:Q").properties(title="A title").to_dict()
    )
    image = svg.render(spec, None).decode()
    fonts = set(re.findall(r'font-family="([^"]+)"', image))
    assert fonts == {svg.STATIC_FONT} and svg.STATIC_FONT.startswith("Liberation Sans, ")
    plain = vl_convert.vegalite_to_svg({**spec, "width": svg.FALLBACK_WIDTH, "autosize": {"type": "pad"}})
    assert image == plain.replace('font-family="sans-serif"', f'font-family="{svg.STATIC_FONT}"')
    on_white = {
        **spec,
        "width": svg.FALLBACK_WIDTH,
        "autosize": {"type": "pad"},
        "config": {"background": "white"},
    }
    assert svg.render(spec, None, "png") == bytes(vl_convert.vegalite_to_png(on_white, scale=svg.PNG_SCALE))


class _Pipe:
    """A helper's stdin, as `_hand` writes to it."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.lines.append(data)

    def flush(self) -> None:
        pass


class _Helper:
    def __init__(self) -> None:
        self.stdin = _Pipe()


def test_each_file_of_tasks_is_offered_to_every_helper_and_done_by_one(tmp_path: Path) -> None:
    """Work goes to whichever helper is free: every helper is told of each file of tasks, and the first
    to take it does it, so that one helper is not left with the costly charts while the other waits."""
    helpers = [_Helper(), _Helper()]
    groups = [[("svg", f"key-{n}", {"n": n}), ("vega", f"vega-{n}", {"n": n})] for n in range(6)]
    svg._hand_out(helpers, tmp_path, groups)  # type: ignore[arg-type]  # the pipes are all `_hand` uses
    offered = [[Path(line.decode().strip()) for line in h.stdin.lines] for h in helpers]
    assert offered[0] == offered[1] and len(offered[0]) == 2  # 6 charts, CHARTS_A_HAND (4) a file
    first, second = offered[0]
    assert svg._take(first) == [list(task) for group in groups[:4] for task in group]
    assert svg._take(first) is None  # the other helper, when it reads the name: taken already
    assert svg._take(second) == [list(task) for group in groups[4:] for task in group]
    assert list((tmp_path / "tasks").iterdir()) == []


def test_a_structure_is_compiled_once_for_every_process_using_the_cache(
    specs: dict[str, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cache, a compiled structure is kept in it: a new process (a helper of the next build)
    gets the same Vega spec without compiling it again."""
    chosen = [spec for chart_id, spec in sorted(specs.items()) if chart_id.startswith("profile-")]
    svg.forget()
    first = [svg.compiled(spec, tmp_path) for spec in chosen]
    assert len(list((tmp_path / svg._STRUCTURES).iterdir())) == len(svg._structures) < len(chosen)
    svg.forget()  # as a new process

    def refused(structure: dict[str, Any]) -> bytes:
        raise AssertionError("compiled again")

    monkeypatch.setattr(svg, "_compiled", refused)
    assert (
        [svg.compiled(spec, tmp_path) for spec in chosen]
        == first
        == [vl_convert.vegalite_to_vega(spec) for spec in chosen]
    )
    svg.forget()
