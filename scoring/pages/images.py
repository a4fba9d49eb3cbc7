"""How a chart's static images are sized (scoring.publish.svg makes them; render.py offers the PNG).

Light on purpose: the helper processes that make the images import it, and nothing else of `pages`
(which would bring pandas and Altair into each, ~1.5 s of CPU a process where no bytecode is cached).
"""

# The images are drawn at a fixed width, where the live chart fits its container; the PNG (the page's
# Open Graph image, and the chart menu's PNG, which charts.js draws from the SVG) at 1.5 times that:
# sharp as a download, and about the width Open Graph previews want.
FALLBACK_WIDTH = 720  # px
PNG_SCALE = 1.5
