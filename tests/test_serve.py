"""`mkdocs serve`: rebuilds after an edit to the data, shows bad data as a page, and does not loop."""

from __future__ import annotations

import html
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # a local server only
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _until(check: Callable[[], bool], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds} s")


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
    _until(lambda: "The data has problems" in _get(base), 60)
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
    _until(lambda: "The data has problems" in _get(base), 60)
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
