"""How a chart's static images are sized (scoring.publish.svg makes them; render.py offers the PNG),
and which charts the browser draws without Vega.

Light on purpose: the helper processes that make the images import it, and nothing else of `pages`
(which would bring pandas and Altair into each, ~1.5 s of CPU a process where no bytecode is cached).
"""

from typing import Any

# The images are drawn at a fixed width, where the live chart fits its container; the PNG (the page's
# Open Graph image, and the chart menu's PNG, which charts.js draws from the SVG) at 1.5 times that:
# sharp as a download, and about the width Open Graph previews want.
FALLBACK_WIDTH = 720  # px
PNG_SCALE = 1.5


def geographic(spec: Any) -> bool:
    """Whether a chart's spec has a projection (a map): the browser draws it with map.js, from shapes
    projected at build time, not with the Vega runtime, so it has no compiled Vega spec."""
    if isinstance(spec, dict):
        return "projection" in spec or any(geographic(v) for k, v in spec.items() if k != "datasets")
    if isinstance(spec, list):
        return any(geographic(v) for v in spec)
    return False
