"""Static SVG fallbacks of the charts and the chart JavaScript bundle, made by vl-convert and cached.

Both are pure functions of their input and of the vl-convert version, so they are cached on disk by a
hash of exactly that: a rebuild renders only the charts whose spec changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

VL_CONVERT = version("vl-convert-python")
SVG_FORMAT = 2  # raise when what is made of vl-convert's SVG changes, so that cached images are redone
FALLBACK_WIDTH = 720  # px; the interactive chart fits its container instead


def _cached(cache: Path | None, name: str, make: Callable[[], bytes]) -> bytes:
    path = cache / name if cache else None
    if path and path.exists():
        return path.read_bytes()
    content = make()
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a name of its own, then an atomic rename: builds running at once never read half a file
        # nor take each other's partial file away
        handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(partial, path)
    return content


def _fixed(spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The cache key and the fixed-width spec that the SVG is rendered from."""
    fixed = {**spec, "width": FALLBACK_WIDTH, "autosize": {"type": "pad"}}
    text = json.dumps(fixed, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{VL_CONVERT}\n{SVG_FORMAT}\n{text}".encode()).hexdigest(), fixed


def _svg(spec: dict[str, Any]) -> bytes:
    # vl-convert numbers gradients by a counter that lives as long as the process, so the same spec
    # would give another SVG after other charts: number them from 0 in each image instead
    text = vl_convert.vegalite_to_svg(spec)
    order: dict[str, int] = {}
    return _GRADIENT.sub(lambda m: f"gradient_{order.setdefault(m[1], len(order))}", text).encode()


_GRADIENT = re.compile(r"gradient_(\d+)")


def render(spec: dict[str, Any], cache: Path | None) -> bytes:
    """The chart as SVG, at a fixed width."""
    key, fixed = _fixed(spec)
    return _cached(cache, f"svg/{key}.svg", lambda: _svg(fixed))


PARALLEL_FROM = 12  # uncached charts worth starting helper processes for (~0.3 s each to start)


def render_many(specs: dict[str, dict[str, Any]], cache: Path | None) -> dict[str, bytes]:
    """Every chart as SVG, by id, the same as one `render` after another.

    On a cold cache with several cores, helper processes (`python -m scoring.publish.svg`) render part
    of the missing charts into the cache while this process renders the rest: vl-convert holds the GIL,
    so threads would not help. Anything a helper did not deliver is rendered here."""
    keyed = {chart_id: _fixed(spec) for chart_id, spec in specs.items()}
    missing = sorted(
        {k: f for k, f in keyed.values() if not (cache and (cache / f"svg/{k}.svg").exists())}.items()
    )
    cores = min(os.cpu_count() or 1, 8)
    helpers: list[subprocess.Popen[bytes]] = []
    if cache is not None and len(missing) >= PARALLEL_FROM and cores > 1:
        for n in range(1, cores):  # this process takes every cores-th chart from the first
            helper = subprocess.Popen(
                [sys.executable, "-m", "scoring.publish.svg", str(cache)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert helper.stdin is not None
            helper.stdin.write(json.dumps(missing[n::cores]).encode())
            helper.stdin.close()
            helpers.append(helper)
        for key, fixed in missing[::cores]:
            _cached(cache, f"svg/{key}.svg", functools.partial(_svg, fixed))
        for helper in helpers:
            helper.wait()
    return {
        chart_id: _cached(cache, f"svg/{key}.svg", functools.partial(_svg, fixed))
        for chart_id, (key, fixed) in keyed.items()
    }


def javascript_bundle(cache: Path | None) -> bytes:
    """Vega, Vega-Lite and vega-embed in one script (global `vegaEmbed`), served from the site itself."""
    return _cached(
        cache,
        f"vega-bundle-{VL_CONVERT}.js",
        lambda: vl_convert.javascript_bundle().encode(),  # type: ignore[call-arg]  # its stub wants a snippet
    )


if __name__ == "__main__":  # a helper of render_many: [[key, fixed spec], ...] on stdin, into the cache
    for key, fixed in json.load(sys.stdin):
        _cached(Path(sys.argv[1]), f"svg/{key}.svg", functools.partial(_svg, fixed))
