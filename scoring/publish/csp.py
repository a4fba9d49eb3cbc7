"""The site's Content-Security-Policy, and the check that keeps it honest: no inline script anywhere.

GitHub Pages sets no headers, so the policy is a `<meta>` tag, written by the theme override
(`templates/theme/main.html`) from `POLICY`, on every page including the 404. Scripts may come only
from the site itself: the theme's own inline scripts are served as files (`assets/javascripts/theme-*.js`),
so the policy allows no inline script at all, not even by hash. A script element that is not a file
reference nor JSON data in a built page can only be injected text or a template mistake: `check_page`
finds it, and the build fails. Vega runs without `unsafe-eval` because the chart script uses its
expression interpreter. Styles keep `unsafe-inline`: Vega, vega-tooltip and the theme set inline
`style` attributes, which hashes cannot allow.
"""

from __future__ import annotations

import re
from pathlib import Path

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'none'"
)
# an element's end tag may carry spaces (`</script >`) and any case; an unclosed one runs to the end
_SCRIPT = re.compile(r"<script(?P<attributes>(?:\s[^>]*)?)>(?P<body>.*?)(?:</script\s*>|\Z)", re.S | re.I)
_DATA_TYPES = ("application/json", "application/ld+json")


def inline_scripts(html: str) -> list[str]:
    """The bodies of the executable inline scripts in `html` (not src=, not JSON data), in order."""
    bodies = []
    for match in _SCRIPT.finditer(html):
        attributes = match.group("attributes").lower()
        if not (re.search(r"\ssrc\s*=", attributes) or any(t in attributes for t in _DATA_TYPES)):
            bodies.append(match.group("body"))
    return bodies


class PolicyViolation(ValueError):
    """A built or generated page breaks the policy: an executable inline script, or no policy tag."""


def check_page(html: str, where: str) -> None:
    """Raise PolicyViolation when `html` (a generated page or a built one) holds an executable inline
    script."""
    if inline_scripts(html):
        raise PolicyViolation(f"{where}: the page holds an inline <script>, which the site's policy forbids")


def check_site(folder: Path) -> None:
    """Every built HTML page carries the policy once and holds no inline script."""
    for path in sorted(folder.rglob("*.html")):
        text = path.read_text("utf-8")
        where = path.relative_to(folder).as_posix()
        check_page(text, where)
        if text.count('http-equiv="Content-Security-Policy"') != 1:
            raise PolicyViolation(f"{where}: the page does not carry the Content-Security-Policy once")
