"""Static chart images: the same SVG for the same spec, however many processes made them, in any order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest
import vl_convert

from scoring.inputs import mapdata
from scoring.inputs.load import load_project
from scoring.method.engine import run_all
from scoring.pages import charts
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


def test_static_image_links_lead_to_the_site_pages(specs: dict[str, dict[str, Any]]) -> None:
    """A mark's link (a path from the site's root) in the static image is relative to charts/, where
    the image lives, not to vl-convert's default base on another host."""
    ranking = next(spec for name, spec in specs.items() if name.startswith("ranking-"))
    image = svg.render(ranking, None).decode()
    assert 'xlink:href="../countries/usa/"' in image
    assert "vega-datasets" not in image and "https:" not in image.split("<a ", 1)[1]
