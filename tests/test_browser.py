"""End to end: the real site, built once and served on 127.0.0.1, in headless Chromium.

Each page must render every interactive chart, log no error, ask nothing of any other host and pass
axe-core without serious or critical violations. Every page is visited once (`inspect`), and the
tests check what that visit saw; full-page screenshots go to tests/artifacts/<page>.png.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from scoring.method.engine import Results
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
    "compare": ("compare/", DESKTOP),
    "map": ("map/", DESKTOP),
    "ranking-phone": ("rankings/ncpi-2022/", PHONE),
    "indicator": ("indicators/tech_export/", DESKTOP),
    "audit": ("audit/ncpi-2020/", DESKTOP),
}

# Every chart on the page has its interactive (Vega) rendering, and charts.js has finished embedding
# it: it marks the static fallback image `hidden` once vegaEmbed has resolved.
ALL_CHARTS_LIVE = """() => {
  const views = [...document.querySelectorAll('.cp-chart__view')];
  return views.length > 0 && views.every((v) =>
    v.querySelector('.cp-chart__live svg, .cp-chart__live canvas') &&
    [...v.querySelectorAll(':scope > img')].every((img) => img.hidden));
}"""

# No transition or finite animation still running (an endless one, such as a spinner, never ends).
AT_REST = """() => document.getAnimations().every((a) =>
  a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""

# Per chart: its live rendering's size and mark count, whether its hidden fallback image still takes
# room, and every text of the live SVG that sticks out of the SVG (and is therefore cut off).
MEASURE = """() => [...document.querySelectorAll('.cp-chart__view')].map((view) => {
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
    marks: live && live.tagName.toLowerCase() === 'svg' ? live.querySelectorAll('.role-mark > *').length : null,
    fallbackShown: [...view.querySelectorAll(':scope > img')]
      .some((img) => img.hidden && getComputedStyle(img).display !== 'none'),
    clipped: clipped,
  };
})"""

# The compare chart's bars: fill colour and ARIA label (which carries the tooltip's fields).
BARS = """(view) => [...view.querySelectorAll('.cp-chart__live svg .mark-rect path')].map(
  (p) => ({fill: (p.getAttribute('fill') || '').toLowerCase(), label: p.getAttribute('aria-label') || ''}))"""
RED, BLUE = "#c0392b", "#2471a3"  # Country A, Country B (scoring.pages.charts.compare)


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
    """Compare-chart bars (from BARS) as side ("A" red, "B" blue) -> objective -> score."""
    sides: dict[str, dict[str, float]] = {"A": {}, "B": {}}
    for bar in raw:
        fields = dict(part.split(": ", 1) for part in bar["label"].split("; ") if ": " in part)
        side = {RED: "A", BLUE: "B"}[bar["fill"]]
        # an estimated edition's tooltip says so, and shows the score to the whole point
        score = fields.get("score", fields.get("score (estimate)"))
        assert score is not None, bar["label"]
        sides[side][fields["Objective"]] = float(score)
    return sides


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


def test_compare_country_a_menu_redraws_the_chart(
    chromium: Browser, base_url: str, results: dict[str, Results]
) -> None:
    with visit(chromium, base_url, "compare") as seen:
        page = seen.page
        view = page.locator(".cp-chart__view").first
        edition = (view.get_attribute("data-chart") or "").removeprefix("compare-")
        assert edition in results, f"the compare page's first chart is not a compare chart: {edition}"
        result = results[edition]
        tolerance = 0.51 if result.estimated else 0.006  # estimates are shown to the whole point
        menu = view.locator("label", has_text="Country A").locator("select")
        assert menu.input_value() == "PRK"

        raw_before = view.evaluate(BARS)
        before = _bars(raw_before)
        assert before["A"] == pytest.approx(_scores(result, "PRK"), abs=tolerance)
        assert before["B"] == pytest.approx(_scores(result, "KOR"), abs=tolerance)

        menu.select_option("USA")
        assert menu.input_value() == "USA"
        view.evaluate(REDRAWN, raw_before)
        raw_after = view.evaluate(BARS)
        after = _bars(raw_after)
        assert after["A"] == pytest.approx(_scores(result, "USA"), abs=tolerance)
        assert after["A"] != before["A"]
        assert after["B"] == before["B"], "Country B's bars changed with Country A's menu"

        # Hovering Country A's longest bar shows a tooltip naming the United States and that objective.
        longest = max(after["A"], key=after["A"].__getitem__)
        red = [bar["label"] for bar in raw_after if bar["fill"] == RED]
        index = next(i for i, label in enumerate(red) if f"Objective: {longest};" in label)
        view.locator(f'.cp-chart__live svg .mark-rect path[fill="{RED}"]').nth(index).hover()
        tooltip = page.locator("#vg-tooltip-element")
        expect(tooltip).to_contain_text("United States")
        expect(tooltip).to_contain_text(longest)
        screenshot(page, "compare-usa")
        assert seen.errors == []
        assert seen.refused == [] and seen.foreign == []


# Pages without a chart, and one with: what each transfers (bytes as served and gzipped, summed over
# every response) and, for the chart page, the time from navigation to its first interactive chart.
WITHOUT_CHARTS = {"methodology": "methodology/", "404": "no/such/page/", "about": "about/"}
CHART_CODE = ("vega-bundle.js", ".vg.json")
WEIGHTS = ARTIFACTS / "weights.json"


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
    """A page without a chart loads no chart code (the Vega runtime, a compiled spec); the figures of
    every page weighed are written to tests/artifacts/weights.json (no timed assertion)."""
    weights = {name: _weigh(chromium, base_url + path) for name, path in WITHOUT_CHARTS.items()}
    for name, weight in weights.items():
        assert [u for u in weight["requests"] if u.endswith(CHART_CODE)] == [], name
    weights["country-prk"] = _weigh(chromium, base_url + PAGES["country-prk"][0])
    weights["home"] = _weigh(chromium, base_url)
    assert any(u.endswith("vega-bundle.js") for u in weights["country-prk"]["requests"])
    assert weights["country-prk"]["first_chart_ms"] is not None
    ARTIFACTS.mkdir(exist_ok=True)
    summary = {name: {k: v for k, v in w.items() if k != "requests"} for name, w in weights.items()}
    WEIGHTS.write_text(json.dumps(summary, indent=2) + "\n")


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
