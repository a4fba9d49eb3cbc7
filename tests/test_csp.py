"""The Content-Security-Policy meta tag: inline scripts allowed by hash, nothing else inline."""

from __future__ import annotations

import base64
import hashlib

from scoring.publish.csp import inline_script_hashes, with_policy

PAGE = """<!doctype html><html><head>
<script>var a = 1;</script>
<script src="x.js"></script>
<script type="application/json" id="spec">{"a": 1}</script>
</head><body><script>
  document.title = "b";
</script><script>var a = 1;</script></body></html>"""


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_hashes_of_executable_inline_scripts_only() -> None:
    assert inline_script_hashes(PAGE) == [_hash("var a = 1;"), _hash('\n  document.title = "b";\n')]


def test_policy_is_the_first_thing_in_head() -> None:
    out = with_policy(PAGE)
    head = out.split("<head>", 1)[1].lstrip()
    assert head.startswith(
        '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src'
    )
    policy = head.split('content="', 1)[1].split('"', 1)[0]
    assert _hash("var a = 1;") in policy
    assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy
    assert out.count("Content-Security-Policy") == 1


def test_a_script_in_generated_content_is_refused_not_hashed() -> None:
    import pytest

    from scoring.publish.csp import InlineScriptInContent

    content = '<p>x</p><script type="application/json">{}</script>'
    assert with_policy(PAGE, content).count("Content-Security-Policy") == 1  # data scripts are fine
    with pytest.raises(InlineScriptInContent):
        with_policy(PAGE, "<p>x</p><script>alert(1)</script>")
