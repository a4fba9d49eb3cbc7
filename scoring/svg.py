"""Static SVG fallbacks of the charts, rendered by vl-convert and cached by spec content."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

VL_CONVERT = version("vl-convert-python")
FALLBACK_WIDTH = 720  # px; the interactive chart fits its container instead


def render(spec: dict[str, Any], cache: Path | None) -> bytes:
    """The chart as SVG, at a fixed width; reused from `cache` when the same spec was rendered before."""
    fixed = {**spec, "width": FALLBACK_WIDTH, "autosize": {"type": "pad"}}
    text = json.dumps(fixed, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256(f"{VL_CONVERT}\n{text}".encode()).hexdigest()
    cached = cache / f"{key}.svg" if cache else None
    if cached and cached.exists():
        return cached.read_bytes()
    svg = vl_convert.vegalite_to_svg(fixed).encode()
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(".tmp")
        temporary.write_bytes(svg)
        temporary.replace(cached)
    return svg


def javascript_bundle(cache: Path | None) -> bytes:
    """Vega, Vega-Lite and vega-embed in one script (global `vegaEmbed`), served from the site itself."""
    version = f"{VL_CONVERT}-{vl_convert.get_vega_version()}"
    cached = cache / f"vega-bundle-{version}.js" if cache else None
    if cached and cached.exists():
        return cached.read_bytes()
    bundle = vl_convert.javascript_bundle().encode()  # type: ignore[call-arg]  # its stub wants a snippet
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(".tmp")
        temporary.write_bytes(bundle)
        temporary.replace(cached)
    return bundle
