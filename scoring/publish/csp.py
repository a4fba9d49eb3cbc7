"""A Content-Security-Policy for the static site, as a `<meta>` tag (GitHub Pages sets no headers).

Scripts may come only from the site itself; the few inline scripts the theme writes into each page are
allowed by their SHA-256 hash, computed from the finished HTML of that page. The page's own content
(what our templates generated) may hold no executable inline script at all: one there would be
injected text, so the build fails instead of allowing it. Vega runs without
`unsafe-eval` because the chart script uses its expression interpreter. Styles keep `unsafe-inline`:
Vega, vega-tooltip and the theme set inline `style` attributes, which hashes cannot allow.
"""

from __future__ import annotations

import base64
import hashlib
import re

_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPES = ("application/json", "application/ld+json")

POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'none'"
)


def inline_scripts(html: str) -> list[str]:
    """The bodies of the executable inline scripts in `html` (not src=, not JSON data), in order."""
    bodies = []
    for match in _SCRIPT.finditer(html):
        attributes = match.group("attributes").lower()
        if not (re.search(r"\ssrc\s*=", attributes) or any(t in attributes for t in _DATA_TYPES)):
            bodies.append(match.group("body"))
    return bodies


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') of the page's executable inline scripts, in page order."""
    hashes = []
    for body in inline_scripts(html):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return list(dict.fromkeys(hashes))


class InlineScriptInContent(ValueError):
    """Generated page content carries an executable inline script: never allowed, never hashed."""


def with_policy(html: str, content: str = "") -> str:
    """The page with a Content-Security-Policy meta tag as the first element of its <head>.

    `content` is the HTML our templates generated for the page body; an executable inline script in it
    raises InlineScriptInContent."""
    if inline_scripts(content):
        raise InlineScriptInContent("the generated page content holds an inline <script>")
    policy = POLICY.format(hashes=" ".join(inline_script_hashes(html))).replace("  ", " ")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return re.sub(r"<head(\s[^>]*)?>", lambda m: m.group(0) + "\n    " + tag, html, count=1)
