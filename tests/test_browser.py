"""End to end: the real site, built once and served on 127.0.0.1, in headless Chromium.

Each page must render every interactive chart, log no error, ask nothing of any other host and pass
axe-core without serious or critical violations. Every page is visited once (`inspect`), and the
tests check what that visit saw; full-page screenshots go to tests/artifacts/<page>.png.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from scoring.inputs import mapdata
from scoring.method.engine import Results
from scoring.pages.charts import POSTURE_COLOURS, geo
from scoring.publish import source
from scoring.publish.build import Summary, build

from .browser import HOST, SCROLL_THROUGH, launch_chromium, serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RENDER_TIMEOUT_MS = 20_000

# name -> (path under the site root, viewport); the name is also the screenshot's file name.
PAGES: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("", DESKTOP),
    "home-phone": ("", PHONE),
    "country-prk": ("countries/prk/", DESKTOP),
    "country-prk-phone": ("countries/prk/", PHONE),  # its long chart titles wrap
    "compare": ("compare/", DESKTOP),
    "map": ("map/", DESKTOP),
    "map-phone": ("map/", PHONE),
    "ranking-phone": ("rankings/ncpi-2022/", PHONE),
    "indicator": ("indicators/tech_export/", DESKTOP),
    "audit": ("audit/ncpi-2020/", DESKTOP),
}

# Every chart on the page has its interactive (Vega) rendering (a chart in a part of the page hidden on
# purpose, such as an edition the compare page does not show, is drawn when it is shown), and charts.js has finished embedding
# it: it marks the static fallback image `hidden` once vegaEmbed has resolved.
ALL_CHARTS_LIVE = """() => {
  const views = [...document.querySelectorAll('.cp-chart__view')].filter((v) => !v.closest('[hidden]'));
  return views.length > 0 && views.every((v) =>
    v.querySelector('.cp-chart__live svg, .cp-chart__live canvas') &&
    [...v.querySelectorAll(':scope > img')].every((img) => img.hidden));
}"""

# No transition or finite animation still running (an endless one, such as a spinner, never ends).
AT_REST = """() => document.getAnimations().every((a) =>
  a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""

# Per chart: its live rendering's size and mark count, whether its hidden fallback image still takes
# room, and every text of the live SVG that sticks out of the SVG (and is therefore cut off).
MEASURE = """() => [...document.querySelectorAll('.cp-chart__view')].filter((v) => !v.closest('[hidden]')).map((view) => {
  const live = view.querySelector('.cp-chart__live svg, .cp-chart__live canvas');
  const box = live ? live.getBoundingClientRect() : null;
  const outside = (r) => r.left < box.left - 1 || r.right > box.right + 1
                      || r.top < box.top - 1 || r.bottom > box.bottom + 1;
  const clipped = live && live.tagName.toLowerCase() === 'svg'
    ? [...live.querySelectorAll('text')]
        .filter((t) => t.getBoundingClientRect().width > 0 && outside(t.getBoundingClientRect()))
        .map((t) => t.textContent)
    : [];
  return {
    chart: view.dataset.chart,
    live: Boolean(live),
    width: box ? box.width : 0,
    height: box ? box.height : 0,
    marks: live && live.tagName.toLowerCase() === 'svg' ? live.querySelectorAll('.role-mark > *, [data-id]').length : null,
    fallbackShown: [...view.querySelectorAll(':scope > img')]
      .some((img) => img.hidden && getComputedStyle(img).display !== 'none'),
    clipped: clipped,
  };
})"""

# The compare chart's bars: fill colour and ARIA label (which carries the tooltip's fields).
BARS = """(view) => [...view.querySelectorAll('.cp-chart__live svg .mark-rect path')].map(
  (p) => ({fill: (p.getAttribute('fill') || '').toLowerCase(), label: p.getAttribute('aria-label') || ''}))"""
LEGEND = """(view) => [...view.querySelectorAll('.cp-chart__live svg .role-legend-label text')].map((t) => t.textContent)"""


@dataclass
class Visit:
    """An open page and what happened on it: errors, every request, requests refused."""

    page: Page
    base_url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    timed_out: bool = False

    @property
    def foreign(self) -> list[str]:
        """Requests that did not go to the local server (data: and blob: URLs are local)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and not url.startswith(self.base_url)
        ]


@dataclass
class Report:
    """What one visit of a page saw."""

    visit: Visit
    charts: list[dict[str, Any]]
    violations: list[dict[str, Any]]  # axe-core's, serious or critical


# The site is built and served as a GitHub Pages project site: under a sub-path, at an address it knows.
SUB_PATH = "/cyberpower/"
SITE_URL = "https://example.org" + SUB_PATH


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Summary]:
    folder = tmp_path_factory.mktemp("browser") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(source.SITE_URL, SITE_URL)
        summary = build(ROOT / "mkdocs.yml", ROOT / "data", ROOT / "indices", folder)
    assert (summary.site_dir / "index.html").is_file()
    yield summary


@pytest.fixture(scope="module")
def base_url(site: Summary) -> Iterator[str]:
    with serve(site.site_dir, SUB_PATH) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(base_url: str) -> Iterator[Browser]:
    # Asks for base_url so that the browser closes (dropping its connections) before the server stops.
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def visit(browser: Browser, base_url: str, name: str) -> Iterator[Visit]:
    """Open page `name` of PAGES, refusing every other host, and wait until its charts are live."""
    path, viewport = PAGES[name]
    phone = viewport is PHONE
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        seen = Visit(page, base_url)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                seen.errors.append(f"console.error: {message.text} ({message.location})")

        def on_request(request: Request) -> None:
            seen.requests.append(request.url)

        def on_route(route: Route) -> None:
            if urlsplit(route.request.url).hostname == HOST:
                route.continue_()
            else:
                seen.refused.append(route.request.url)
                route.abort()

        page.on("console", on_console)
        page.on("pageerror", lambda error: seen.errors.append(f"pageerror: {error}"))
        page.on("request", on_request)
        context.route("**/*", on_route)
        page.goto(base_url + path, wait_until="load")
        try:
            page.evaluate(SCROLL_THROUGH)
            page.wait_for_function(ALL_CHARTS_LIVE, timeout=RENDER_TIMEOUT_MS)
        except PlaywrightTimeout:
            seen.timed_out = True  # the tests say which chart is missing
        yield seen
    finally:
        context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.fixture(scope="module")
def inspect(chromium: Browser, base_url: str) -> Callable[[str], Report]:
    """Visit a page of PAGES once: measure its charts, screenshot it, run axe-core on it."""
    axe = Axe()
    reports: dict[str, Report] = {}

    def run(name: str) -> Report:
        if name not in reports:
            with visit(chromium, base_url, name) as seen:
                # Material fades its tabs in (and again when a scroll, axe's own included, shows them);
                # mid-fade their contrast is low. Under reduced motion, Material's own stylesheet turns
                # every transition off, so axe and the screenshot see the page at rest.
                seen.page.emulate_media(reduced_motion="reduce")
                seen.page.wait_for_function(AT_REST, timeout=RENDER_TIMEOUT_MS)
                charts = seen.page.evaluate(MEASURE)
                screenshot(seen.page, name)
                response = axe.run(seen.page).response
            serious = [v for v in response["violations"] if v["impact"] in ("serious", "critical")]
            reports[name] = Report(seen, charts, serious)
        return reports[name]

    return run


@pytest.mark.parametrize("name", list(PAGES))
def test_every_chart_is_live(inspect: Callable[[str], Report], name: str) -> None:
    report = inspect(name)
    assert report.charts, "no chart on the page"
    for chart in report.charts:
        assert chart["live"], f"{chart['chart']}: no interactive rendering"
        assert chart["width"] > 0 and chart["height"] > 0, f"{chart['chart']}: rendered with no size"
        assert chart["marks"] != 0, f"{chart['chart']}: rendered with no marks"
        assert chart["width"] <= PAGES[name][1]["width"], f"{chart['chart']}: wider than the window"
    assert not report.visit.timed_out, "charts.js did not finish embedding every chart"


@pytest.mark.parametrize("name", list(PAGES))
def test_no_console_errors(inspect: Callable[[str], Report], name: str) -> None:
    assert inspect(name).visit.errors == []


@pytest.mark.parametrize("name", list(PAGES))
def test_no_request_leaves_the_local_server(inspect: Callable[[str], Report], name: str) -> None:
    seen = inspect(name).visit
    assert seen.requests, "no request recorded"
    assert seen.refused == [], "requests to other hosts (aborted)"
    assert seen.foreign == []


@pytest.mark.parametrize("name", list(PAGES))
def test_static_image_gives_way_to_the_live_chart(inspect: Callable[[str], Report], name: str) -> None:
    """Once a chart is live, its fallback image (marked `hidden` by charts.js) takes no room."""
    shown = [chart["chart"] for chart in inspect(name).charts if chart["fallbackShown"]]
    assert shown == [], "hidden fallback images still displayed under their live charts"


@pytest.mark.parametrize("name", list(PAGES))
def test_chart_text_is_not_cut_off(inspect: Callable[[str], Report], name: str) -> None:
    """No title, axis or legend text of a live chart reaches outside the chart's SVG."""
    clipped = {chart["chart"]: chart["clipped"] for chart in inspect(name).charts if chart["clipped"]}
    assert clipped == {}


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(PAGES))
def test_accessibility(inspect: Callable[[str], Report], name: str) -> None:
    """No serious or critical axe-core violation."""
    violations = inspect(name).violations
    assert not violations, _report(violations)


def _bars(raw: list[dict[str, str]]) -> dict[str, dict[str, float]]:
    """Compare-chart bars (from BARS) as country -> objective -> score; each country in one colour."""
    countries: dict[str, dict[str, float]] = {}
    fills: dict[str, set[str]] = {}
    for bar in raw:
        fields = dict(part.split(": ", 1) for part in bar["label"].split("; ") if ": " in part)
        # an estimated edition's tooltip says so, and shows the score to the whole point
        score = fields.get("score", fields.get("score (estimate)"))
        assert score is not None, bar["label"]
        countries.setdefault(fields["Country"], {})[fields["Objective"]] = float(score)
        fills.setdefault(fields["Country"], set()).add(bar["fill"])
    assert all(len(f) == 1 for f in fills.values()), fills
    assert len({next(iter(f)) for f in fills.values()}) == len(fills), "two countries share a colour"
    return countries


def _scores(result: Results, iso3: str) -> dict[str, float]:
    names = {o.id: o.name for o in result.spec.objectives}
    rows = result.objectives[result.objectives["iso3"] == iso3].dropna(subset=["score"])
    return {names[o]: round(float(s), 2) for o, s in zip(rows["objective"], rows["score"], strict=True)}


# Resolves once the chart's bars differ from `before`, rejects after the render timeout.
REDRAWN = f"""(view, before) => new Promise((resolve, reject) => {{
  const changed = () => JSON.stringify(({BARS})(view)) !== JSON.stringify(before);
  if (changed()) return resolve(true);
  const watch = new MutationObserver(() => changed() && (watch.disconnect(), resolve(true)));
  watch.observe(view, {{subtree: true, childList: true, attributes: true}});
  setTimeout(() => (watch.disconnect(), reject(new Error("chart not redrawn"))), {RENDER_TIMEOUT_MS});
}})"""

COMPARE_EDITION = "ncpi-2022"
THREE = f"compare/?edition={COMPARE_EDITION}&c=CHN,USA,RUS"


@contextmanager
def compare_page(
    browser: Browser, url: str, viewport: dict[str, int] = DESKTOP, scheme: str = "light"
) -> Iterator[tuple[Page, list[str]]]:
    """The compare page at `url`, its visible charts live; yields the page and its errors."""
    phone = viewport is PHONE
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="load")
        _live(page)
        yield page, errors
    finally:
        context.close()


def _live(page: Page) -> None:
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_function(ALL_CHARTS_LIVE, timeout=RENDER_TIMEOUT_MS)


def _shown(page: Page, result: Results, iso3s: list[str]) -> None:
    """The chips, the bars, the legend and both tables show `iso3s`, in that order, and nothing else."""
    names = [str(result.overall.loc[i, "country"]) for i in iso3s]
    chips = page.locator(".cp-compare__chip")
    expect(chips).to_have_count(len(iso3s))
    assert [chips.nth(i).inner_text().removesuffix("×").strip() for i in range(len(iso3s))] == names
    view = page.locator(f'.cp-chart__view[data-chart="compare-{result.spec.id}"]')
    expect(view).to_have_attribute("data-selection", ",".join(iso3s))
    tolerance = 0.51 if result.estimated else 0.006  # estimates are shown to the whole point
    bars = _bars(view.evaluate(BARS))
    assert sorted(bars) == sorted(names)
    for iso3, name in zip(iso3s, names, strict=True):
        assert bars[name] == pytest.approx(_scores(result, iso3), abs=tolerance)
    assert view.evaluate(LEGEND) == names
    suffix = " (estimate)" if result.estimated else ""
    tables = page.locator(".cp-compare__edition:not([hidden]) .cp-table table")
    assert tables.nth(0).locator("thead th").all_text_contents() == [
        "objective",
        *(n + suffix for n in names),
    ]
    assert tables.nth(1).locator("tbody tr td:first-child").all_text_contents() == names
    capint = page.locator(f'.cp-chart__view[data-chart="compare-capint-{result.spec.id}"]')
    assert capint.evaluate(LEGEND) == names


def _compare_address(page: Page) -> str:
    """The compare page's address without the heading Material's navigation.tracking adds as the page
    scrolls (`#ncpi-2022`): the choice lives in the query."""
    return "compare/" + page.url.split("compare/", 1)[1].split("#", 1)[0]


def test_compare_selection_lives_in_the_address(
    chromium: Browser, base_url: str, results: dict[str, Results]
) -> None:
    """A shared link shows its three countries; choosing others changes the address; a reload keeps
    the choice and back goes to the one before."""
    result = results[COMPARE_EDITION]
    with compare_page(chromium, base_url + THREE) as (page, errors):
        expect(page.locator(f'.cp-compare__edition[data-edition="{COMPARE_EDITION}"]')).to_be_visible()
        assert page.locator(".cp-compare__edition:not([hidden])").count() == 1
        expect(page.locator(".cp-compare select[name=edition]")).to_have_value(COMPARE_EDITION)
        _shown(page, result, ["CHN", "USA", "RUS"])
        assert page.title().startswith("China vs United States vs Russia")

        page.get_by_role("button", name="Remove Russia").click()
        assert _compare_address(page) == f"compare/?edition={COMPARE_EDITION}&c=CHN,USA"
        _shown(page, result, ["CHN", "USA"])
        page.get_by_label("Add a country").select_option("GBR")
        assert _compare_address(page) == f"compare/?edition={COMPARE_EDITION}&c=CHN,USA,GBR"
        _shown(page, result, ["CHN", "USA", "GBR"])

        page.reload(wait_until="load")
        _live(page)
        _shown(page, result, ["CHN", "USA", "GBR"])
        page.go_back()
        assert _compare_address(page) == f"compare/?edition={COMPARE_EDITION}&c=CHN,USA"
        _shown(page, result, ["CHN", "USA"])

        # another edition: the countries it ranks stay chosen, its own charts are drawn
        page.get_by_label("Edition").select_option("ncpi-2020")
        assert _compare_address(page) == "compare/?edition=ncpi-2020&c=CHN,USA"
        _live(page)
        _shown(page, results["ncpi-2020"], ["CHN", "USA"])
        assert errors == []


def test_compare_never_offers_a_chosen_country(chromium: Browser, base_url: str) -> None:
    """The add menu lists only countries not chosen; a link naming one twice shows it once; six is
    the most, and then the menu is off."""
    with compare_page(chromium, base_url + f"compare/?edition={COMPARE_EDITION}&c=CHN,CHN,USA,RUS") as (
        page,
        errors,
    ):
        assert page.url.endswith("c=CHN,USA,RUS")  # the address is tidied, not pushed
        menu = page.get_by_label("Add a country")
        offered = menu.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
        assert offered[0] == "" and {"CHN", "USA", "RUS"}.isdisjoint(offered) and len(offered) == 30 - 3 + 1
        with pytest.raises(PlaywrightError, match="did not find some options"):
            menu.select_option("CHN", timeout=2_000)
        for iso3 in ("GBR", "ISR", "IRN"):
            menu.select_option(iso3)
        expect(page.locator(".cp-compare__chip")).to_have_count(6)
        expect(menu).to_be_disabled()
        expect(page.locator(".cp-compare__heading")).to_have_text("Countries (6 of at most 6)")
        assert page.url.endswith("c=CHN,USA,RUS,GBR,ISR,IRN")
        assert errors == []


def test_compare_without_javascript_shows_the_default_pair(chromium: Browser, base_url: str) -> None:
    """With JavaScript off, the page shows North Korea and the Republic of Korea: the static chart
    and its table; the menus, which need the script, are not shown."""
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + THREE, wait_until="load")
        figure = page.locator(f'[id="chart.compare-{COMPARE_EDITION}"]')
        image = figure.locator("img")
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert "North Korea and Republic of Korea" in (image.get_attribute("alt") or "")
        figure.locator(".cp-table summary").click()  # a <details>: opens without script
        heads = figure.locator(".cp-table thead th").all_inner_texts()
        assert heads == ["objective", "North Korea (estimate)", "Republic of Korea (estimate)"]
        expect(page.locator(".cp-compare")).to_be_hidden()
        expect(page.locator(".cp-compare__edition")).to_have_count(2)
        expect(page.locator('.cp-compare__edition[data-edition="ncpi-2020"]')).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_compare_three_countries_fit(chromium: Browser, base_url: str, size: str, scheme: str) -> None:
    """Three countries at 390 and 1280 px, light and dark: every chart inside the window, no text cut
    off, no error; screenshots go to tests/artifacts/compare-three-<size>-<scheme>.png."""
    viewport = PHONE if size == "phone" else DESKTOP
    with compare_page(chromium, base_url + THREE, viewport, scheme) as (page, errors):
        page.emulate_media(reduced_motion="reduce")
        page.wait_for_function(AT_REST, timeout=RENDER_TIMEOUT_MS)
        measured = page.evaluate(MEASURE)
        assert [m["chart"] for m in measured] == [
            f"compare-{COMPARE_EDITION}",
            f"compare-capint-{COMPARE_EDITION}",
        ]
        for chart in measured:
            assert 0 < chart["width"] <= viewport["width"], chart
            assert chart["clipped"] == [], chart
        dark = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
        assert dark == (scheme == "dark")
        screenshot(page, f"compare-three-{size}-{scheme}")
        assert errors == []


# The map's shapes (map.js): a country's fills (by the start of its link's ARIA label, "Germany: ...") in
# the world view and the enlarged Europe view, and the legend's title and entries.
MAP_FILLS = """(view, name) => [...view.querySelectorAll('.cp-map a[aria-label]')]
  .filter((a) => a.getAttribute('aria-label').startsWith(name + ': '))
  .map((a) => a.querySelector('[data-id]').getAttribute('fill'))"""
MAP_LEGEND = """(view) => [...view.querySelectorAll('.cp-map__legend li')].map((li) => [
  li.textContent, getComputedStyle(li.querySelector('.cp-map__swatch')).backgroundColor])"""


def test_map_menu_recolours_the_map_and_a_country_opens_its_page(
    chromium: Browser, base_url: str, results: dict[str, Results]
) -> None:
    """Picking posture in the map's menu recolours the countries by posture class and changes the
    legend; a country's link shows its tooltip on focus and on hover; selecting Germany on the enlarged
    Europe view opens Germany's page (under the sub-path)."""
    with visit(chromium, base_url, "map") as seen:
        page = seen.page
        view = page.locator(".cp-chart__view[data-chart^='map-']").first
        edition = (view.get_attribute("data-chart") or "").removeprefix("map-")
        result = results[edition]
        score_title = "Overall score (estimate)" if result.estimated else "Overall score"
        expect(view.locator(".cp-map__legend-title")).to_have_text(score_title)
        world, europe = view.evaluate(MAP_FILLS, "Germany")  # one shape in each view, filled alike
        assert world == europe
        before = {c: view.evaluate(MAP_FILLS, result.overall.loc[c, "country"])[0] for c in ("USA", "PRK")}
        legend = view.evaluate(MAP_LEGEND)

        menu = view.locator("select")
        assert menu.input_value() == "score"
        menu.select_option("posture")
        expect(view.locator(".cp-map__legend-title")).to_have_text("Posture (this project's reading)")
        after = view.evaluate(MAP_LEGEND)
        assert after != legend
        assert [text for text, _ in after][:-1] == [
            c for c in POSTURE_COLOURS if c in set(result.ranked["posture"])
        ]
        for iso3 in ("USA", "PRK"):
            posture = result.overall.loc[iso3, "posture"]
            fills = view.evaluate(MAP_FILLS, result.overall.loc[iso3, "country"])
            assert fills[0].lower() == POSTURE_COLOURS[posture], iso3
            assert fills[0] != before[iso3]
        screenshot(page, "map-posture")

        # the keyboard reaches a country's link in the world view; its tooltip names it and the measure
        tooltip = page.locator(".cp-map__tooltip")
        view.locator(".cp-map__part-0 a[aria-label^='Germany: ']").focus()
        expect(tooltip).to_be_visible()
        expect(tooltip).to_contain_text("Germany")
        assert view.locator(".cp-map__part-1 a[aria-label^='Germany: ']").get_attribute("tabindex") == "-1"

        # Germany on the enlarged Europe view: its tooltip names it and the measure shown
        germany = view.locator(".cp-map__part-1 a[aria-label^='Germany: ']")
        germany.hover()
        expect(tooltip).to_contain_text("Germany")
        expect(tooltip).to_contain_text("Posture (this project's reading)")
        expect(tooltip).to_contain_text(str(result.overall.loc["DEU", "posture"]))
        germany.click()
        page.wait_for_url(base_url + "countries/deu/")
        expect(page.locator("h1")).to_contain_text("Germany")
        assert seen.errors == []
        assert seen.refused == [] and seen.foreign == []


@pytest.mark.parametrize("name", ["map", "map-phone"])
def test_map_fits_the_window_in_either_palette(chromium: Browser, base_url: str, name: str) -> None:
    """The map takes the column's full width, its menu above it and its legend below the maps, in
    light and dark palettes (screenshots tests/artifacts/map*-light.png, -dark.png): its text in the
    page's colour, countries not in the edition a lighter grey on the dark palette."""
    with visit(chromium, base_url, name) as seen:
        page = seen.page
        view = page.locator(".cp-chart__view[data-chart^='map-']").first
        svg = view.locator(".cp-map__part-0").bounding_box()
        europe = view.locator(".cp-map__part-1").bounding_box()
        column = view.bounding_box()
        menu = view.locator("select").bounding_box()
        assert svg and europe and column and menu
        assert svg["width"] == pytest.approx(column["width"], abs=2)
        assert europe["width"] == pytest.approx(column["width"], abs=2)
        assert menu["y"] + menu["height"] <= svg["y"], "the menu is not above the map"
        assert europe["y"] >= svg["y"] + svg["height"], "Europe is not below the world"
        heading = view.locator(".cp-map__caption", has_text="Europe, enlarged").bounding_box()
        legend = view.locator(".cp-map__legend li", has_text="not in this edition").first.bounding_box()
        assert heading and legend and legend["y"] > heading["y"] + 100, "the legend is not below the maps"
        assert legend["y"] >= europe["y"] + europe["height"]
        brightness: dict[str, int] = {}
        grey: dict[str, str] = {}
        for palette in ("light", "dark"):
            # what Material's palette toggle does; the map's colours follow the page's stylesheet
            scheme = "slate" if palette == "dark" else "default"
            page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
            text = view.locator(".cp-map__caption")
            colour = text.evaluate("(t) => getComputedStyle(t).color")  # "rgba(0, 0, 0, 0.87)"
            brightness[palette] = sum(int(n) for n in re.findall(r"\d+", colour)[:3])
            grey[palette] = view.locator("path.cp-map__grey").first.evaluate(
                "(p) => getComputedStyle(p).fillOpacity"
            )
            view.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            view.screenshot(path=ARTIFACTS / f"{name}-{palette}.png")
        # the map's text follows the page's: dark on the light palette, light on the dark one
        assert brightness["light"] < 200 < 500 < brightness["dark"], brightness
        assert grey == {"light": "0.5", "dark": "0.2"}
        assert seen.errors == []


def test_maps_share_one_shape_file_and_draw_every_country(
    chromium: Browser, base_url: str, site: Summary, results: dict[str, Results]
) -> None:
    """Both maps colour the one file of projected shapes, which the page downloads once (under the
    sub-path), and no Vega runtime or compiled spec; each live map links every country of its edition
    that the map can show: the ones with a shape, and the ranked ones drawn as a dot."""
    topology = mapdata.load_topology(ROOT / "site" / mapdata.TOPOLOGY)
    dots = mapdata.load_dots(ROOT / "site" / mapdata.SMALL_COUNTRIES)
    with visit(chromium, base_url, "map") as seen:
        views = seen.page.locator(".cp-chart__view[data-chart^='map-']")
        assert views.count() == 2
        for view in views.all():
            view.scroll_into_view_if_needed()
            result = results[(view.get_attribute("data-chart") or "").removeprefix("map-")]
            expect(view.locator(".cp-map__part-0")).to_be_visible()
            where = geo.placement(list(result.overall.index), topology, dots)
            ranked = set(result.ranked.index)
            expected = {
                result.overall.loc[c, "country"]
                for c, how in where.items()
                if how == "shape" or (how == "dot" and c in ranked)
            }
            labels = view.locator(".cp-map__part-0 a[aria-label]").evaluate_all(
                "(links) => links.map((a) => a.getAttribute('aria-label'))"
            )
            assert sorted(label.split(": ")[0] for label in labels) == sorted(expected)
        loaded = [u for u in seen.requests if u.endswith("/" + geo.SERVED_SHAPES)]
        assert loaded == [base_url + geo.SERVED_SHAPES]
        assert [
            u for u in seen.requests if u.endswith(("vega-bundle.js", "vega-geo-bundle.js", ".vg.json"))
        ] == []
        assert seen.errors == [] and seen.refused == [] and seen.foreign == []


def test_the_map_that_cannot_be_drawn_shows_its_static_image(chromium: Browser, base_url: str) -> None:
    """When the shapes cannot be fetched, map.js puts each map's static image in the page instead."""
    context = chromium.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.route("**/" + geo.SERVED_SHAPES, lambda route: route.abort())
        page.goto(base_url + PAGES["map"][0], wait_until="load")
        image = page.locator(".cp-chart__view[data-chart^='map-'] > img").first
        expect(image).to_be_visible()
        assert (image.get_attribute("src") or "").endswith(".svg")
        assert page.locator(".cp-map").count() == 0
    finally:
        context.close()


# Pages without a chart, and one with: what each transfers (bytes as served and gzipped, summed over
# every response) and, for the chart page, the time from navigation to its first interactive chart.
WITHOUT_CHARTS = {"methodology": "methodology/", "404": "no/such/page/", "about": "about/"}
CHART_CODE = ("vega-bundle.js", ".vg.json")  # vega-geo-bundle.js too
WEIGHTS = ARTIFACTS / "weights.json"
PAGE_BUDGET = 300_000  # bytes a page may transfer, gzipped, with every chart drawn


def _weigh(browser: Browser, url: str) -> dict[str, Any]:
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        bodies: list[tuple[str, bytes]] = []
        page.on("requestfinished", lambda request: bodies.append((request.url, request.response().body())))
        page.goto(url, wait_until="load")
        page.evaluate(SCROLL_THROUGH)
        page.wait_for_load_state("networkidle")
        first = page.evaluate("() => performance.getEntriesByName('cp-first-chart')[0]?.startTime ?? null")
        return {
            "requests": [u for u, _ in bodies],
            "bytes": sum(len(b) for _, b in bodies),
            "gzipped": sum(len(gzip.compress(b)) for _, b in bodies),
            "first_chart_ms": first,
        }
    finally:
        context.close()


def test_page_weight_and_chart_code_only_where_charts_are(chromium: Browser, base_url: str) -> None:
    """A page without a chart loads no chart code (the Vega runtime, a compiled spec); every page
    weighed but the map transfers at most PAGE_BUDGET, gzipped; the figures of every page weighed are
    written to tests/artifacts/weights.json (no timed assertion)."""
    weights = {name: _weigh(chromium, base_url + path) for name, path in WITHOUT_CHARTS.items()}
    for name, weight in weights.items():
        assert [u for u in weight["requests"] if u.endswith(CHART_CODE)] == [], name
    for name in ("country-prk", "home", "compare", "map"):
        weights[name] = _weigh(chromium, base_url + PAGES[name][0])
    weights["ranking"] = _weigh(chromium, base_url + PAGES["ranking-phone"][0])
    assert any(u.endswith("/vega-bundle.js") for u in weights["country-prk"]["requests"])
    assert not any(u.endswith("vega-geo-bundle.js") for u in weights["country-prk"]["requests"])
    # the map is drawn by map.js from the shared shapes: no Vega runtime, no compiled spec
    assert [u for u in weights["map"]["requests"] if u.endswith((*CHART_CODE, "vega-geo-bundle.js"))] == []
    assert any(u.endswith("/" + geo.SERVED_SHAPES) for u in weights["map"]["requests"])
    assert weights["country-prk"]["first_chart_ms"] is not None
    assert weights["map"]["first_chart_ms"] is not None
    # the static images are for readers without JavaScript (and charts that fail): not downloaded here
    for name in ("country-prk", "home"):
        assert [u for u in weights[name]["requests"] if "/charts/" in u and u.endswith(".svg")] == [], name
    ARTIFACTS.mkdir(exist_ok=True)
    summary = {name: {k: v for k, v in w.items() if k != "requests"} for name, w in weights.items()}
    WEIGHTS.write_text(json.dumps(summary, indent=2) + "\n")
    # the budget of a page with charts (issue 14), the map's included
    heavy = {name: w["gzipped"] for name, w in summary.items() if w["gzipped"] > PAGE_BUDGET}
    assert heavy == {}, heavy


def test_a_chart_that_cannot_be_drawn_shows_its_static_image(chromium: Browser, base_url: str) -> None:
    """The static image sits in a <noscript>; when the live chart fails (here: its compiled spec
    cannot be fetched), charts.js puts the image in the page instead."""
    context = chromium.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.route("**/*.vg.json", lambda route: route.abort())
        page.goto(base_url + PAGES["country-prk"][0], wait_until="load")
        image = page.locator(".cp-chart__view > img").first
        image.wait_for(state="attached", timeout=30_000)
        image.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert (image.get_attribute("src") or "").endswith(".svg")
        assert "North Korea" in (image.get_attribute("alt") or "")
        assert page.locator(".cp-chart__live").count() == 0
    finally:
        context.close()


# Material's stylesheet is in force: its colour variables are set on the page.
STYLED = "() => getComputedStyle(document.body).getPropertyValue('--md-primary-fg-color').trim() !== ''"


@pytest.mark.parametrize("path", ["", "countries/prk/", "methodology/", "no/such/page/", "countries/xyz/"])
def test_pages_are_styled_under_the_sub_path(chromium: Browser, base_url: str, path: str) -> None:
    """Served under /cyberpower/ as GitHub Pages serves a project site, every page finds its styles
    and scripts, the 404 page (served at any depth) included; the 404 page offers search and the main
    sections."""
    context = chromium.new_context(viewport=PHONE if path.startswith("no/") else DESKTOP)
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on(
            "response",
            lambda r: (
                failed.append(r.url) if r.status >= 400 and not r.request.is_navigation_request() else None
            ),
        )
        response = page.goto(base_url + path, wait_until="load")
        assert response is not None
        assert page.evaluate(STYLED), "Material's stylesheet did not load"
        assert failed == []
        if path.startswith(("no/", "countries/xyz")):
            assert response.status == 404
            expect(page.locator("h1")).to_have_text("Page not found")
            links = page.locator(".cp-not-found a")
            assert links.count() >= 5
            assert all(
                (links.nth(i).get_attribute("href") or "").startswith(SUB_PATH) for i in range(links.count())
            )
            page.locator(".md-content label[for='__search']").click()
            expect(page.locator("#__search")).to_be_checked()  # the search overlay is open
            screenshot(page, "404-phone")
    finally:
        context.close()


def test_sitemap_canonical_and_open_graph(site: Summary) -> None:
    sitemap = (site.site_dir / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{SITE_URL}countries/prk/</loc>" in sitemap
    page = (site.site_dir / "countries" / "prk" / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}countries/prk/">' in page
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page)
    assert image and image.group(1).startswith(SITE_URL + "charts/") and image.group(1).endswith(".png")
    assert (site.site_dir / image.group(1).removeprefix(SITE_URL)).is_file()
    assert '<meta property="og:title" content="North Korea - ' in page


def test_a_ranking_bar_links_to_its_country_page(
    chromium: Browser, base_url: str, results: dict[str, Results]
) -> None:
    """A bar of the ranking chart shows a pointer and, clicked, opens its country's page in the same
    tab, under the site's sub-path and its Content-Security-Policy."""
    context = chromium.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base_url + "rankings/ncpi-2022/", wait_until="load")
        page.evaluate(SCROLL_THROUGH)
        page.wait_for_function(ALL_CHARTS_LIVE, timeout=RENDER_TIMEOUT_MS)
        bar = page.locator('[data-chart="ranking-ncpi-2022"] .cp-chart__live svg .mark-rect path').nth(40)
        label = bar.get_attribute("aria-label") or ""
        [name] = re.findall(r"Country: ([^;]+);", label)
        overall = results["ncpi-2022"].overall
        iso3 = str(overall.index[overall["country"] == name][0])
        bar.hover()
        live = page.locator('[data-chart="ranking-ncpi-2022"] .cp-chart__live')
        assert live.evaluate(
            "(e) => [e, ...e.querySelectorAll('*')].some((n) => n.style?.cursor === 'pointer')"
        )
        bar.click()
        page.wait_for_url(f"{base_url}countries/{iso3.lower()}/", timeout=RENDER_TIMEOUT_MS)
        expect(page.locator("h1")).to_contain_text(name)
        assert len(context.pages) == 1, "the link opened another tab"
        assert errors == []
    finally:
        context.close()


def test_a_posture_point_names_its_country_on_hover(chromium: Browser, base_url: str) -> None:
    """Pointing at a point of the posture chart writes its country's name beside it, and the point
    links to that country's page."""
    context = chromium.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(base_url + "posture/", wait_until="load")
        page.evaluate(SCROLL_THROUGH)
        view = page.locator('[data-chart="posture-ncpi-2022"]')
        view.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => document.querySelector('[data-chart=\"posture-ncpi-2022\"] .cp-chart__live svg')",
            timeout=RENDER_TIMEOUT_MS,
        )
        point = view.locator(".cp-chart__live svg .mark-symbol path").first
        [name] = re.findall(r"Country: ([^;]+);", point.get_attribute("aria-label") or "")
        texts = view.locator(".cp-chart__live svg .mark-text text")
        assert name not in texts.all_text_contents()
        point.hover()
        expect(texts.filter(has_text=re.compile(f"^{re.escape(name)}$"))).to_have_count(1)
        point.click()
        page.wait_for_url(re.compile(r".*/countries/[a-z]{3}/$"), timeout=RENDER_TIMEOUT_MS)
        expect(page.locator("h1")).to_contain_text(name)
    finally:
        context.close()


# --- search, sortable tables, the chart menu and the heatmap title -------------------------------------

SEARCH_META = re.compile(r"^\d+ matching documents?$")
FINAL_RESULTS = """(term) => [...document.querySelectorAll('.md-search-result__item > a')].some(
  (a) => (new URL(a.href).searchParams.get('h') || '').split(' ').includes(term))"""


@contextmanager
def _page(
    browser: Browser, base_url: str, path: str, viewport: dict[str, int], scheme: str = "light"
) -> Iterator[Page]:
    phone = viewport is PHONE
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(base_url + path, wait_until="load")
        yield page
    finally:
        context.close()


def _search(page: Page, query: str) -> list[str]:
    """Type `query` into Material's search box of a freshly opened page; the paths (below the site) of
    the result pages, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    # "Initializing search" until the index is loaded: a query typed before would go unanswered
    expect(meta).to_have_text("Type to start searching", timeout=RENDER_TIMEOUT_MS)
    box.press_sequentially(query)
    # each key gives results; those of the whole query carry its last word in their links' ?h=
    page.wait_for_function(FINAL_RESULTS, arg=query.split()[-1].lower(), timeout=RENDER_TIMEOUT_MS)
    expect(meta).to_have_text(SEARCH_META)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("links => links.map((a) => a.href)")
    return [urlsplit(h).path.removeprefix(SUB_PATH) for h in hrefs]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("DPRK", "countries/prk/"),
        ("ROK", "countries/kor/"),
        ("PRC", "countries/chn/"),
        ("South Korea", "countries/kor/"),
        ("UK", "countries/gbr/"),  # two letters, and Ukraine's name starts with them
        ("US", "countries/usa/"),  # two letters, and a stop word to lunr
        ("Surveillance", "objectives/surveillance/"),  # above the indicators and sources that name it
        ("Defense", "objectives/defense/"),  # above the posture page, whose title has the word
    ],
)
def test_search_finds_a_country_by_its_alias_and_an_objective_by_its_name(
    chromium: Browser, base_url: str, query: str, first: str
) -> None:
    with _page(chromium, base_url, "", DESKTOP) as page:
        found = _search(page, query)
    assert found[0] == first, found[:5]


CHANGE = re.compile(r"^(?:([▲▼]) (\d+)|(=)|(–))(?: est\.| assessed)?$")  # marked when a rank is not published


def _change(text: str) -> int | None:
    found = CHANGE.match(text.strip())
    assert found, f"not a change: {text!r}"
    if found.group(4):
        return None
    if found.group(3):
        return 0
    return int(found.group(2)) * (-1 if found.group(1) == "▼" else 1)


def test_sorting_the_change_column_orders_rows_by_their_signed_change(
    chromium: Browser, base_url: str
) -> None:
    """▼ 3 < ▼ 1 < = < ▲ 2, by value, not as text; a missing change (–) last both ways; rows move whole."""
    with _page(chromium, base_url, "rankings/ncpi-2022/", DESKTOP) as page:
        table = page.locator(".cp-sortable table").first
        header = table.locator("thead th").last
        expect(header).to_have_text(re.compile("change"))
        rows = "rows => rows.map((r) => [r.cells[1].textContent.trim(), r.cells[r.cells.length - 1].textContent.trim()])"
        before = table.locator("tbody tr").evaluate_all(rows)
        header.get_by_role("button").click()
        expect(header).to_have_attribute("aria-sort", "ascending")
        ascending = table.locator("tbody tr").evaluate_all(rows)
        header.get_by_role("button").click()
        expect(header).to_have_attribute("aria-sort", "descending")
        descending = table.locator("tbody tr").evaluate_all(rows)
        table.screenshot(path=_artifact("ranking-sorted-by-change.png"))
    values = [_change(c) for _, c in ascending]
    known = [v for v in values if v is not None]
    assert min(known) < 0 < max(known) and 0 in known, "the data no longer tests all three kinds"
    assert values == sorted(known) + [None] * (len(values) - len(known))
    assert [_change(c) for _, c in descending] == sorted(known, reverse=True) + [None] * (
        len(values) - len(known)
    )
    assert sorted(map(tuple, ascending)) == sorted(map(tuple, before)) == sorted(map(tuple, descending))


ORDINAL = re.compile(r"^(?:tied )?(\d+)(?:st|nd|rd|th)?\b")  # "14 est. (7–22)", "tied 4th"


def test_rank_columns_sort_as_numbers(chromium: Browser, base_url: str) -> None:
    """Ranks with a suffix, an *est.* mark or an interval sort 2nd < 10th; the headings are buttons with
    aria-sort; the countries index's year headings keep their links, with a sort button beside them."""
    with _page(chromium, base_url, "rankings/ncpi-2022/", DESKTOP) as page:
        table = page.locator(".cp-sortable table").first
        header = table.locator("thead th").first
        header.get_by_role("button", name="rank").click()
        header.get_by_role("button", name="rank").click()
        expect(header).to_have_attribute("aria-sort", "descending")
        ranks = [
            int(ORDINAL.match(t.strip()).group(1))
            for t in table.locator("tbody tr td:first-child").all_text_contents()
        ]  # type: ignore[union-attr]
        assert ranks == sorted(ranks, reverse=True) and ranks[-1] == 1 and ranks[0] >= 10
    with _page(chromium, base_url, "countries/", DESKTOP) as page:
        table = page.locator(".cp-sortable table").first
        year = table.locator("thead th").nth(3)
        expect(year.locator("a")).to_have_count(1)
        year.get_by_role("button", name=re.compile(r"^Sort by \d{4}$")).click()
        expect(year).to_have_attribute("aria-sort", "ascending")
        cells = [t.strip() for t in table.locator("tbody tr td:nth-child(4)").all_text_contents()]
        ranks = [int(ORDINAL.match(c).group(1)) for c in cells if c != "–"]  # type: ignore[union-attr]
        assert ranks == sorted(ranks) and ranks[0] == 1
        assert cells[len(ranks) :] == ["–"] * (len(cells) - len(ranks))
        expect(page.get_by_role("row", name=re.compile("North Korea"))).to_contain_text("DPRK")
    for path in ("objectives/surveillance/", "posture/", "indicators/tech_export/"):
        with _page(chromium, base_url, path, DESKTOP) as page:
            expect(page.locator(".cp-sortable table thead th button.cp-sort").first).to_be_visible()


HEATMAP = "chart.heatmap-ncpi-2020-surveillance"
MENU_LOOK = """(figure) => {
  const menu = figure.querySelector('.cp-chart__menu'), summary = menu.querySelector('summary');
  const style = getComputedStyle(menu), look = getComputedStyle(summary);
  return {border: parseFloat(style.borderTopWidth) + parseFloat(style.borderLeftWidth), shadow: style.boxShadow,
          background: look.backgroundColor, size: parseFloat(look.fontSize),
          caption: parseFloat(getComputedStyle(figure.querySelector('figcaption')).fontSize),
          links: [...menu.querySelectorAll('li a')].filter((a) => a.checkVisibility()).length,
          scheme: document.body.getAttribute('data-md-color-scheme')};
}"""
TITLE = """(figure) => {
  const svg = figure.querySelector('.cp-chart__live svg'), box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('.role-title text tspan, .role-title text')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, inside: r.left >= box.left - 1 && r.right <= box.right + 1};
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_chart_menu_is_quiet_and_the_heatmap_title_is_whole(
    chromium: Browser, base_url: str, viewport: dict[str, int], scheme: str
) -> None:
    """The heatmap's title is not cut on a phone; the chart menu is a small borderless control that
    opens on a click. Screenshots: tests/artifacts/heatmap-<width>-<scheme>.png."""
    with _page(chromium, base_url, "audit/ncpi-2020/", viewport, scheme) as page:
        figure = page.locator(f'[id="{HEATMAP}"]')
        figure.scroll_into_view_if_needed()
        expect(figure.locator(".cp-chart__live svg")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        titles = figure.evaluate(TITLE)
        closed = figure.evaluate(MENU_LOOK)
        figure.locator(".cp-chart__menu summary").click()
        opened = figure.evaluate(MENU_LOOK)
        page.emulate_media(reduced_motion="reduce")
        figure.screenshot(path=_artifact(f"heatmap-{viewport['width']}-{scheme}.png"))
    assert titles and all(t["inside"] and "…" not in t["text"] for t in titles), titles
    assert {"National Cyber Power Index 2020", "correlations within Surveillance"} <= {
        t["text"] for t in titles
    }
    assert closed["scheme"] == ("slate" if scheme == "dark" else "default")
    assert closed["border"] == 0 and closed["shadow"] == "none"
    assert closed["background"] == "rgba(0, 0, 0, 0)" and closed["size"] <= closed["caption"]
    assert closed["links"] == 0 and opened["links"] == 4


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


CSP_VIOLATIONS = """() => { window.cpViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cpViolations.push(e.violatedDirective)); }"""


def _download_csv(page: Page, chart_id: str) -> list[list[str]]:
    """The rows of the CSV that a chart's "Data shown (CSV)" link downloads."""
    figure = page.locator(f'[id="chart.{chart_id}"]')
    if not figure.locator(".cp-chart__menu").evaluate("(menu) => menu.open"):
        figure.locator(".cp-chart__menu summary").click()
    with page.expect_download() as download:
        figure.locator(".cp-chart__menu a", has_text="Data shown (CSV)").click()
    text = Path(download.value.path()).read_text("utf-8")
    assert text.endswith("\n") and "\r" not in text
    return list(csv.reader(text.splitlines()))


def test_a_charts_png_is_drawn_from_its_svg_and_offered_only_with_javascript(
    chromium: Browser, base_url: str
) -> None:
    """The chart menu's "Image (PNG)" saves the chart's static SVG drawn on white at 1.5 times its
    size (the build makes PNG files only of the pages' main charts); without JavaScript the item is
    not shown, and the SVG and CSV links still are."""
    chart = "capint-ncpi-2022-prk"  # the page's second chart: no PNG file of it
    context = chromium.new_context(viewport=DESKTOP, accept_downloads=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base_url + "countries/prk/", wait_until="load")
        page.evaluate(CSP_VIOLATIONS)
        assert page.request.get(base_url + f"charts/{chart}.png").status == 404
        svg = page.request.get(base_url + f"charts/{chart}.svg").text()
        size = re.match(r'<svg [^>]*?width="([0-9.]+)" height="([0-9.]+)"', svg)
        assert size is not None
        figure = page.locator(f'[id="chart.{chart}"]')
        figure.locator(".cp-chart__menu summary").click()
        with page.expect_download() as download:
            figure.locator(".cp-chart__menu a", has_text="Image (PNG)").click()
        assert download.value.suggested_filename == f"{chart}.png"
        png = Path(download.value.path()).read_bytes()
        # the page's main chart has a PNG file, the build's (vl-convert's): drawn here, it is as large
        main = page.locator(".cp-chart").first
        main.locator(".cp-chart__menu summary").click()
        with page.expect_download() as download:
            main.locator(".cp-chart__menu a", has_text="Image (PNG)").click()
        drawn = Path(download.value.path()).read_bytes()
        built = page.request.get(base_url + f"charts/{download.value.suggested_filename}").body()
        assert page.evaluate("() => window.cpViolations") == [] and errors == []
    finally:
        context.close()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (math.ceil(float(size[1])) * 3 // 2, math.ceil(float(size[2])) * 3 // 2)
    assert built.startswith(b"\x89PNG") and drawn[16:24] == built[16:24]
    # the chart is drawn: the image's rows (decompressed, each a filter byte then RGBA) are not all one colour
    chunks, at = b"", 8
    while at < len(png):
        length, kind = int.from_bytes(png[at : at + 4], "big"), png[at + 4 : at + 8]
        chunks += png[at + 8 : at + 8 + length] if kind == b"IDAT" else b""
        at += 12 + length
    rows = zlib.decompress(chunks)
    assert len(rows) == height * (1 + 4 * width) and len(set(rows)) > 32

    context = chromium.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "countries/prk/", wait_until="load")
        menu = page.locator(f'[id="chart.{chart}"] .cp-chart__menu')
        menu.locator("summary").click()
        expect(menu.locator("a", has_text="Image (SVG)")).to_be_visible()
        expect(menu.locator("a", has_text="Data shown (CSV)")).to_be_visible()
        expect(menu.locator("a", has_text="Image (PNG)")).to_be_hidden()
    finally:
        context.close()


def test_compare_csv_follows_the_selection(
    chromium: Browser, base_url: str, site: Summary, results: dict[str, Results]
) -> None:
    """The compare charts' CSV links download the countries shown, made in the page as a blob (which
    the site's Content-Security-Policy lets through); for the default pair, the same bytes as the
    static file the link gives without JavaScript."""
    result = results[COMPARE_EDITION]
    names = [str(result.overall.loc[i, "country"]) for i in ["CHN", "USA", "RUS"]]
    suffix = " (estimate)" if result.estimated else ""
    context = chromium.new_context(viewport=DESKTOP, accept_downloads=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base_url + THREE, wait_until="load")
        page.evaluate(CSP_VIOLATIONS)
        _live(page)
        scores = _download_csv(page, f"compare-{COMPARE_EDITION}")
        assert scores[0] == ["objective", *(n + suffix for n in names)]
        assert [row[0] for row in scores[1:]] == [o.name for o in result.spec.objectives]
        assert all(len(row) == 4 for row in scores)
        capint = _download_csv(page, f"compare-capint-{COMPARE_EDITION}")
        assert [row[0] for row in capint[1:]] == names
        link = page.locator(f'[id="chart.compare-{COMPARE_EDITION}"] .cp-chart__menu a', has_text="CSV")
        assert (link.get_attribute("href") or "").startswith("blob:")
        # another choice, another file
        page.get_by_role("button", name="Remove Russia").click()
        assert len(_download_csv(page, f"compare-{COMPARE_EDITION}")[0]) == 3
        assert page.evaluate("() => window.cpViolations") == [] and errors == []

        page.goto(base_url + "compare/", wait_until="load")
        _live(page)
        figure = page.locator(f'[id="chart.compare-{COMPARE_EDITION}"]')
        figure.locator(".cp-chart__menu summary").click()
        with page.expect_download() as download:
            figure.locator(".cp-chart__menu a", has_text="Data shown (CSV)").click()
        static = (site.site_dir / "charts" / f"compare-{COMPARE_EDITION}.csv").read_bytes()
        assert Path(download.value.path()).read_bytes() == static
    finally:
        context.close()
