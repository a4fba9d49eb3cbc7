"""The Content-Security-Policy: one static policy on every page, and no inline script anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.publish.csp import POLICY, PolicyViolation, check_page, check_site, inline_scripts

PAGE = """<!doctype html><html><head>
<script src="x.js"></script>
<script type="application/json" id="spec">{"a": 1}</script>
</head><body><p>text</p></body></html>"""


def test_only_file_references_and_json_data_are_not_inline_scripts() -> None:
    assert inline_scripts(PAGE) == []
    assert inline_scripts("<SCRIPT>a()</SCRIPT >") == ["a()"]
    assert inline_scripts("<script>a()</script\n>") == ["a()"]
    assert inline_scripts("<p>x</p><script>unclosed") == ["unclosed"]
    assert inline_scripts('<script type="module">a()</script>') == ["a()"]
    assert inline_scripts("<scripts>not an element</scripts>") == []


def test_a_page_with_an_inline_script_is_refused() -> None:
    check_page(PAGE, "index.html")
    with pytest.raises(PolicyViolation, match=r"^countries/x/index\.html: the page holds an inline <script>"):
        check_page(
            PAGE.replace("<p>text</p>", "<p>x</p><script>alert(1)</script >"), "countries/x/index.html"
        )


def test_the_policy_allows_no_inline_script_and_no_eval() -> None:
    scripts = POLICY.split("script-src", 1)[1].split(";", 1)[0]
    assert scripts.strip() == "'self'"
    assert "'unsafe-eval'" not in POLICY and "object-src 'none'" in POLICY and "base-uri 'self'" in POLICY


def test_a_site_page_without_the_policy_is_refused(tmp_path: Path) -> None:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(PAGE.replace("<head>", "<head>" + meta))
    check_site(tmp_path)
    (tmp_path / "404.html").write_text(PAGE)
    with pytest.raises(PolicyViolation, match=r"^404\.html: the page does not carry"):
        check_site(tmp_path)
