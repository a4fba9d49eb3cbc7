"""Hostile content: text from the data never runs, on any page, in tooltips, search or downloads.

The fixture `tests/fixtures/hostile/` is the tiny project with country names, notes, sources and
definition texts made of `<script>`, `<img onerror>`, `javascript:` links, Jinja and attr_list syntax
and very long strings. Every payload, if it ever ran, would set `window.__pwned`.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from scoring.publish.build import build

from .browser import SCROLL_THROUGH, launch_chromium, serve
from .conftest import FIXTURES, ROOT

HOSTILE = FIXTURES / "hostile"
KOREA = "<script>window.__pwned=1</script>Korea"
JAPAN = '=HYPERLINK("http://x")<img src=x onerror="window.__pwned=2">Japan'
USA = "[United States](javascript:window.__pwned=3)"
NORTH_KOREA = "{{ 7*7 }} {% raw %}North Korea</script><script>window.__pwned=4</script>"
KOREA_ALIASES = (
    '<img src=x onerror="window.__pwned=12">Hanguk',
    '"]: {x: 1} # *[x](javascript:window.__pwned=13)*',
)

INJECTED = """() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  images: [...document.querySelectorAll('img')].filter((i) => !/charts\\/|assets\\//.test(i.getAttribute('src') || '')).length,
  frames: document.querySelectorAll('iframe, object, embed').length,
  handlers: [...document.querySelectorAll('*')].filter((e) =>
    [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  scripts: [...document.querySelectorAll('script')].filter((s) => /pwned/.test(s.textContent) && s.type !== 'application/json').length,
  links: [...document.querySelectorAll('a[href]')].filter((a) => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
})"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("hostile") / "site"
    build(ROOT / "mkdocs.yml", HOSTILE / "data", HOSTILE / "indices", site)
    return site


@pytest.fixture(scope="module")
def browser_page(hostile_site: Path) -> Iterator[tuple[Any, str, list[str]]]:
    with serve(hostile_site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        try:
            yield page, base, dialogs
        finally:
            browser.close()


def _pages(site: Path) -> list[str]:
    return sorted(
        str(p.parent.relative_to(site).as_posix()) + "/"
        for p in site.rglob("index.html")
        if "search" not in p.parts
    )


def test_every_page_renders_hostile_text_inert(
    browser_page: tuple[Any, str, list[str]], hostile_site: Path
) -> None:
    page, base, dialogs = browser_page
    visited = 0
    for path in _pages(hostile_site):
        url = base + "/" + ("" if path == "./" else path)
        page.goto(url)
        page.wait_for_load_state("load")
        if page.locator(".cp-chart__view").count():
            page.evaluate(SCROLL_THROUGH)
            page.wait_for_function(
                # (the compare page hides the editions not chosen: their charts are drawn when shown)
                "() => [...document.querySelectorAll('.cp-chart__view')].filter((v) => !v.closest('[hidden]'))"
                ".every((v) => v.querySelector('.cp-chart__live svg'))",
                timeout=20_000,
            )
        found = page.evaluate(INJECTED)
        assert found == {"pwned": None, "images": 0, "frames": 0, "handlers": 0, "scripts": 0, "links": 0}, (
            path
        )
        visited += 1
    assert dialogs == []
    assert visited == len(_pages(hostile_site)) >= 15


def test_hostile_text_shows_as_written(browser_page: tuple[Any, str, list[str]]) -> None:
    page, base, _ = browser_page
    page.goto(base + "/countries/kor/")
    text = page.locator("article").inner_text()
    assert KOREA in text
    assert f"Also known as: {', '.join(KOREA_ALIASES)}." in text
    page.goto(base + "/countries/prk/")
    text = page.locator("article").inner_text()
    assert NORTH_KOREA in text and "49" not in text.split("North Korea")[0]
    assert "**bold** <iframe" in text and "{{ config }}" in text
    page.goto(base + "/rankings/tiny-2022/")
    text = page.locator("article").inner_text()
    assert USA in text and JAPAN in text
    assert page.title().startswith("Tiny ‹img src=x onerror=window.__pwned=9› 2022")


def test_compare_page_shows_chosen_names_as_text(browser_page: tuple[Any, str, list[str]]) -> None:
    """compare.js puts the data's names into its chips, menus and tables as text."""
    page, base, _ = browser_page
    page.goto(base + "/compare/?edition=tiny-2022&c=KOR,JPN,USA")
    chips = page.locator(".cp-compare__chip")
    expect(chips).to_have_count(3)
    assert [chips.nth(i).inner_text().removesuffix("×").strip() for i in range(3)] == [KOREA, JAPAN, USA]
    assert KOREA in page.locator(".cp-compare__status").inner_text()
    table = page.locator(".cp-compare__edition:not([hidden]) .cp-table table").first
    assert table.locator("thead th").all_text_contents()[1:] == [
        f"{n} (estimate)" for n in (KOREA, JAPAN, USA)
    ]
    assert page.evaluate(INJECTED)["pwned"] is None


def test_tooltips_show_text_not_markup(browser_page: tuple[Any, str, list[str]]) -> None:
    page, base, _ = browser_page
    page.goto(base + "/rankings/tiny-2022/")
    page.wait_for_selector(".cp-chart__live svg .mark-rect path")
    bar = page.locator(".cp-chart__live svg .mark-rect path").first
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.locator("script, img, iframe").count() == 0
    assert any(name in tooltip.inner_text() for name in (KOREA, JAPAN, USA, NORTH_KOREA))
    assert page.evaluate("() => window.__pwned === undefined")


def test_search_results_are_inert(browser_page: tuple[Any, str, list[str]]) -> None:
    page, base, _ = browser_page
    page.goto(base + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Hanguk", delay=50)  # key by key, as a reader types; an alias of KOR
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert page.locator(".md-search-result__item").count() > 0
    # the page's aliases are its search tags, which the results show as text
    tags = page.locator(".md-search-result .md-tag").all_text_contents()
    assert set(KOREA_ALIASES) <= set(tags), tags
    assert (
        page.locator(".md-search-result script, .md-search-result img, .md-search-result iframe").count() == 0
    )
    assert page.evaluate(INJECTED)["pwned"] is None


def test_pages_carry_a_content_security_policy(hostile_site: Path) -> None:
    for path in [*_pages(hostile_site), "404.html"]:
        file = hostile_site / path if path.endswith(".html") else hostile_site / path / "index.html"
        text = file.read_text("utf-8")
        assert text.count('http-equiv="Content-Security-Policy"') == 1, path
        policy = html.unescape(
            text.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        )
        assert "'unsafe-eval'" not in policy and "script-src 'self'" in policy


def test_downloads_neutralise_formulas(hostile_site: Path) -> None:
    with (hostile_site / "downloads" / "tiny-2022" / "overall.csv").open(encoding="utf-8") as handle:
        rows = {row["iso3"]: row for row in csv.DictReader(handle)}
    assert rows["JPN"]["country"] == "'" + JAPAN
    assert rows["KOR"]["country"] == KOREA
    assert float(rows["KOR"]["balance"]) < 0  # numbers are not touched


def test_map_shows_hostile_names_as_text(browser_page: tuple[Any, str, list[str]]) -> None:
    """map.js puts the names from the page's JSON (one of them holds "</script>") into the countries'
    labels and tooltips as text."""
    page, base, _ = browser_page
    page.goto(base + "/map/")
    page.wait_for_selector(".cp-map__part-0 a[aria-label]")
    links = page.locator(".cp-map__part-0 a[aria-label]")
    labels = links.evaluate_all("(links) => links.map((a) => a.getAttribute('aria-label'))")
    assert {KOREA, NORTH_KOREA} <= {label.split(": ")[0] for label in labels}
    korea = links.nth(next(i for i, label in enumerate(labels) if label.startswith(KOREA + ": ")))
    korea.hover()
    tooltip = page.locator(".cp-map__tooltip")
    expect(tooltip).to_be_visible()
    assert KOREA in tooltip.inner_text()
    assert tooltip.locator("script, img, iframe").count() == 0
    assert page.evaluate(INJECTED)["pwned"] is None
