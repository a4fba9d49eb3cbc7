"""Static SVG fallbacks of the charts and the chart JavaScript bundle, made by vl-convert and cached.

Both are pure functions of their input and of the vl-convert version, so they are cached on disk by a
hash of exactly that: a rebuild renders only the charts whose spec changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

VL_CONVERT = version("vl-convert-python")
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


def render(spec: dict[str, Any], cache: Path | None) -> bytes:
    """The chart as SVG, at a fixed width."""
    fixed = {**spec, "width": FALLBACK_WIDTH, "autosize": {"type": "pad"}}
    text = json.dumps(fixed, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256(f"{VL_CONVERT}\n{text}".encode()).hexdigest()
    return _cached(cache, f"svg/{key}.svg", lambda: vl_convert.vegalite_to_svg(fixed).encode())


def javascript_bundle(cache: Path | None) -> bytes:
    """Vega, Vega-Lite and vega-embed in one script (global `vegaEmbed`), served from the site itself."""
    return _cached(
        cache,
        f"vega-bundle-{VL_CONVERT}.js",
        lambda: vl_convert.javascript_bundle().encode(),  # type: ignore[call-arg]  # its stub wants a snippet
    )
