"""`mkdocs serve`: rebuilds after an edit to the data, shows bad data and broken templates as a problem
page at every address, brings the page back by itself once fixed, and does not loop."""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scoring.inputs.errors import Problem, ProjectError
from scoring.publish.sitegen import problems_html

from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> tuple[int, str]:
    """Status and body of a GET (an error status's body too); (0, "") when there is no answer within
    5 s, as while the server waits for a build that never succeeds."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # a local server only
            return int(response.status), str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return int(error.code), str(error.read().decode("utf-8"))
    except OSError:
        return 0, ""


def _get(url: str) -> str:
    status, body = _fetch(url)
    return body if status == 200 else ""


def _text(url: str) -> str:
    """The page's text with entities resolved, whatever its status."""
    return html.unescape(_fetch(url)[1])


RELOAD = "livereload("  # the reload script MkDocs injects into the pages it serves
PROBLEMS = "The preview cannot be built"


def _until(check: Callable[[], bool], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds} s")


def test_the_problem_page_keeps_text_from_the_data_inert() -> None:
    """Each problem is one list item of plain text: markup, Markdown and line breaks a cell holds are
    shown as typed (entities, `\\n`), so nothing from the data becomes an element or a link."""
    cell = "1\n\n<img src=x onerror=alert(1)>\n```\n<script>alert(2)</script>[x](javascript:alert(3))"
    problem = Problem("data/ncpi-2022/objectives.csv", 177, 4, f"intent '{cell}' is not a number")
    page = problems_html(ProjectError([problem]))
    items = re.findall(r"<li>(.*)</li>", page)
    assert [html.unescape(item) for item in items] == [str(problem)]
    assert "\\n<img src=x onerror=alert(1)>\\n```\\n<script>" in str(problem)
    assert not re.search(r"[<>`\[\]()]", items[0])  # all entities: nothing HTML or Markdown acts on


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """A copy of the project served by `mkdocs serve` on a free local port: (root, base url, log)."""
    root = tmp_path / "project"
    for name in ("data", "indices", "templates", "site"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "scoring").symlink_to(ROOT / "scoring")  # the hook path in mkdocs.yml
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CYBERPOWER_CACHE": str(ROOT / "build" / ".cache")}
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        _until(lambda: "Cyber Power Index" in _get(base), 120)
        yield root, base, log
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_rebuilds_on_edits_and_survives_bad_data(served: tuple[Path, str, Path]) -> None:
    root, base, log = served
    objectives = root / "data" / "ncpi-2022" / "objectives.csv"
    good = objectives.read_text("utf-8")

    objectives.write_text(good.replace("PRK,financial,50,1,", "PRK,financial,50,1.3,"), encoding="utf-8")
    _until(lambda: PROBLEMS in _get(base), 60)
    page = _get(base)
    assert "intent 1.3 is outside 0–1 (row PRK, financial)" in html.unescape(page)

    objectives.write_text(good, encoding="utf-8")
    _until(lambda: "North Korea ranks 14th" in _get(base), 90)

    countries = root / "data" / "countries.csv"
    countries.write_text(
        countries.read_text("utf-8").replace("KOR,Republic of Korea,", "KOR,Korea (Republic),"),
        encoding="utf-8",
    )
    _until(
        lambda: (
            "Korea (Republic)" in _get(base + "countries/kor/").replace("&#40;", "(").replace("&#41;", ")")
        ),
        90,
    )
    # the images of the charts the edit changed, made while MkDocs rendered, are served with the page
    image = _get(base + "charts/history-kor.svg")
    assert image.startswith("<svg") and "Korea (Republic)" in html.unescape(image)
    assert "Republic of Korea" not in html.unescape(image)

    builds = log.read_text().count("Building documentation")
    time.sleep(6)  # no rebuild loop: nothing rebuilds by itself
    assert log.read_text().count("Building documentation") == builds


@pytest.mark.browser
def test_problem_page_shows_hostile_cell_text_inert(served: tuple[Path, str, Path]) -> None:
    """A data-only pull request previewed locally: the problem page must not run what a cell holds.
    The preview has no Content-Security-Policy, so escaping alone has to hold."""
    from playwright.sync_api import sync_playwright

    from .browser import launch_chromium

    root, base, _ = served
    objectives = root / "data" / "ncpi-2022" / "objectives.csv"
    payload = '"1\n\n<img src=x onerror=window.__pwned=1>\n```\n<script>window.__pwned=2</script>"'
    objectives.write_text(
        objectives.read_text("utf-8").replace("PRK,financial,50,1,", f"PRK,financial,50,{payload},"),
        encoding="utf-8",
    )
    _until(lambda: PROBLEMS in _get(base), 60)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base)
        article = page.locator("article")
        assert article.locator("img, script, iframe").count() == 0
        text = article.inner_text()
        assert "<img src=x onerror=window.__pwned=1>" in text  # shown as typed, on its problem's line
        assert "\\n" in text
        assert page.evaluate("window.__pwned") is None and dialogs == []
        browser.close()


def test_problems_show_at_every_address_and_each_page_comes_back(served: tuple[Path, str, Path]) -> None:
    """The analyst on /countries/prk/ breaks the data, then a template: that address shows the problem
    page (not a 404 page, not a request left waiting), with the reload script; once fixed, the same
    address is the country's page again."""
    root, base, _ = served
    country = base + "countries/prk/"
    status, page = _fetch(country)
    assert status == 200 and RELOAD in page
    assert "Content-Security-Policy" not in page  # the preview's reload script is inline: no policy

    objectives = root / "data" / "ncpi-2022" / "objectives.csv"
    good = objectives.read_text("utf-8")
    objectives.write_text(good.replace("PRK,financial,50,1,", "PRK,financial,50,1.3,"), encoding="utf-8")
    _until(lambda: PROBLEMS in _text(country), 60)
    row = next(i for i, text in enumerate(good.splitlines(), 1) if text.startswith("PRK,financial,"))
    problem = f"objectives.csv:{row}:4: intent 1.3 is outside 0–1 (row PRK, financial)"
    for address in (country, base, base + "rankings/ncpi-2022/", base + "no/such/page/"):
        status, page = _fetch(address)
        assert status in (200, 404), address  # the server's answer for an address the site lacks is 404
        assert problem in html.unescape(page), address
        assert RELOAD in page and "Page not found" not in page, address
    objectives.write_text(good, encoding="utf-8")
    _until(lambda: "North Korea" in _get(country), 90)

    template = root / "templates" / "country.md.j2"
    fine = template.read_text("utf-8")
    template.write_text(fine + "{% if page.name %}\n", encoding="utf-8")  # never closed
    line = len(fine.splitlines()) + 1
    _until(
        lambda: f"templates/country.md.j2:{line}:1: template syntax error: Unexpected end" in _text(country),
        60,
    )
    assert RELOAD in _fetch(country)[1]

    heading = fine.splitlines().index("# {{ page.name }}") + 1
    template.write_text(fine.replace("# {{ page.name }}", "# {{ page.nmae }}", 1), encoding="utf-8")
    _until(lambda: f"templates/country.md.j2:{heading}:1: template error: " in _text(country), 60)
    assert "has no attribute &#39;nmae&#39;; hint&#58; while rendering countries/" in _fetch(country)[1]

    template.write_text(fine, encoding="utf-8")
    _until(lambda: "North Korea" in _get(country), 90)

    # a theme override that does not compile: the problem page, drawn with the theme without overrides
    theme = root / "templates" / "theme" / "main.html"
    kept = theme.read_text("utf-8")
    theme.write_text(kept + "{% block oops %}\n", encoding="utf-8")  # never closed
    where = f"templates/theme/main.html:{len(kept.splitlines()) + 1}:1: template syntax error"
    _until(lambda: where in _text(base), 60)
    status, page = _fetch(country)  # an answer, not a request left waiting; it reloads when fixed
    assert status == 404 and RELOAD in page
    theme.write_text(kept, encoding="utf-8")
    _until(lambda: "North Korea" in _get(country), 90)


@pytest.mark.browser
def test_the_page_being_previewed_shows_the_problems_and_comes_back_by_itself(
    served: tuple[Path, str, Path],
) -> None:
    """In a real browser, left alone on /countries/prk/: a data error turns the page into the problem
    page, and the fix brings the country back, at the same address, by MkDocs' reload script alone."""
    from playwright.sync_api import sync_playwright

    from .browser import launch_chromium

    root, base, _ = served
    objectives = root / "data" / "ncpi-2022" / "objectives.csv"
    good = objectives.read_text("utf-8")
    country = base + "countries/prk/"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(country)
        assert page.locator("article h1").inner_text().startswith("North Korea")

        objectives.write_text(good.replace("PRK,financial,50,1,", "PRK,financial,50,1.3,"), encoding="utf-8")
        page.wait_for_function(
            f"document.querySelector('article')?.innerText.includes({PROBLEMS!r})", timeout=90_000
        )
        assert page.url == country
        assert "intent 1.3 is outside 0–1 (row PRK, financial)" in page.locator("article").inner_text()

        objectives.write_text(good, encoding="utf-8")
        page.wait_for_function(
            "document.querySelector('article h1')?.innerText.startsWith('North Korea')", timeout=120_000
        )
        assert page.url == country
        assert blocked == []
        browser.close()
