"""The page registry: which pages exist, their paths, the nav derived from them, and typed contexts."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scoring.inputs import mapdata
from scoring.inputs.load import Project
from scoring.method.engine import run_all
from scoring.pages import render as pages
from scoring.pages.charts import Chart
from scoring.pages.registry import Page, Registry, UnknownPage

ROOT = Path(__file__).resolve().parent.parent


def _page(kind: str, id: str = "", title: str = "", section: str = "", nav_key: str = "") -> Page:
    return Page(kind, id, f"{kind}.md.j2", title or kind, lambda: None, section, nav_key)


def test_paths_come_from_the_kind_and_id() -> None:
    registry = Registry(
        (_page("home"), _page("country", "PRK", "North Korea"), _page("ranking", "ncpi-2022")),
        frozenset({"downloads/ncpi-2022/overall.csv"}),
    )
    assert registry.path_of("home") == "index.md"
    assert registry.path_of("country", "PRK") == "countries/prk.md"
    assert registry.path_of("ranking", "ncpi-2022") == "rankings/ncpi-2022.md"
    assert registry.download("ncpi-2022", "overall.csv") == "downloads/ncpi-2022/overall.csv"
    # URLs from the site's root, as MkDocs serves the pages (what the map's links are)
    assert (registry.url_of("home"), registry.url_of("country", "PRK")) == ("", "countries/prk/")
    with pytest.raises(UnknownPage, match="no country page 'KOR': the registry did not create it"):
        registry.path_of("country", "KOR")
    with pytest.raises(UnknownPage):
        registry.url_of("country", "KOR")
    with pytest.raises(UnknownPage, match=r"no download downloads/ncpi-2020/overall\.csv"):
        registry.download("ncpi-2020", "overall.csv")


def test_an_unsafe_id_never_becomes_a_path() -> None:
    with pytest.raises(ValueError, match="not a safe id"):
        _ = _page("objective", "../x").path


def test_a_page_is_declared_once() -> None:
    with pytest.raises(ValueError, match="two pages share"):
        Registry((_page("country", "PRK"), _page("country", "PRK")))


def test_nav_is_derived_from_the_pages() -> None:
    registry = Registry(
        (
            _page("home", title="Home"),
            _page("country", "USA", "United States", "Countries", nav_key="United States"),
            _page("countries", title="Countries", section="Countries"),
            _page("country", "PRK", "North Korea <b>", "Countries", nav_key="North Korea"),
            _page("about", title="About"),
        )
    )
    assert registry.nav() == [
        {"Home": "index.md"},
        {
            "Countries": [
                "countries/index.md",
                {"North Korea ‹b›": "countries/prk.md"},
                {"United States": "countries/usa.md"},
            ]
        },
        {"About": "about.md"},
    ]
    assert registry.ids("country") == ["USA", "PRK"]


def _values(value: Any) -> list[Any]:
    """Every value inside a context, recursively (charts are leaves)."""
    if isinstance(value, Chart):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [value] + [v for f in dataclasses.fields(value) for v in _values(getattr(value, f.name))]
    if isinstance(value, dict):
        return [v for item in value.items() for v in _values(item)]
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in _values(item)]
    return [value]


def test_templates_get_frozen_contexts_of_plain_values(tiny_project: Project) -> None:
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    site = pages.render(tiny_project, run_all(tiny_project), ROOT / "templates", topology)
    assert site.registry is not None
    assert [p.path for p in site.registry.pages] == list(site.pages)
    for page in site.registry.pages:
        context = page.context()
        assert dataclasses.is_dataclass(context), page.path
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(context, dataclasses.fields(context)[0].name, None)
        for value in _values(context):
            if isinstance(value, Chart):
                continue
            assert not isinstance(value, (pd.DataFrame, pd.Series)), page.path
            assert type(value).__module__.split(".")[0] not in ("numpy", "pandas"), (page.path, value)


def test_the_map_links_each_country_to_its_page(tiny_project: Project) -> None:
    """The map's links come from the registry: each country's URL is its page's, from the site's root."""
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    site = pages.render(tiny_project, run_all(tiny_project), ROOT / "templates", topology)
    assert site.registry is not None
    maps = [c for chart_id, c in site.charts.items() if chart_id.startswith("map-")]
    assert len(maps) == 2
    for chart in maps:
        [rows] = [v for v in chart.spec["datasets"].values() if isinstance(v, list) and "url" in v[0]]
        assert {r["url"] for r in rows} == {site.registry.url_of("country", r["iso3"]) for r in rows}
        assert all(f"{r['url'].removesuffix('/')}.md" in site.pages for r in rows)
