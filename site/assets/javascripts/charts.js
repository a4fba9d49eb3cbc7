// Turns every static chart image into an interactive Vega-Lite chart (tooltips, menus), themed for
// Material's light or dark palette. The spec is the JSON in the <script> next to the image; if
// anything fails, the static SVG stays.
const views = new Map();

function dark() {
  return document.body.getAttribute("data-md-color-scheme") === "slate";
}

async function embed(container) {
  const id = container.dataset.chart;
  const source = document.getElementById(`spec-${id}`);
  if (!source || !window.vegaEmbed) return;
  const spec = JSON.parse(source.textContent);
  const fallback = container.querySelector("img");
  const target = document.createElement("div");
  target.className = "cp-chart__live";
  container.querySelectorAll(".cp-chart__live").forEach((old) => old.remove());
  container.prepend(target); // in the page before embedding, so that "container" width is known
  try {
    const result = await window.vegaEmbed(target, spec, {
      actions: false,
      renderer: "svg",
      theme: dark() ? "dark" : undefined,
      // vega-embed then evaluates expressions with its bundled interpreter, not eval(): the site's
      // Content-Security-Policy needs no 'unsafe-eval'
      ast: true,
      // Vega's dark theme leaves text marks (the scatter labels) black: make them light too
      config: dark() ? { background: null, text: { color: "#e0e0e0" } } : { background: null },
    });
    views.get(id)?.finalize();
    views.set(id, result);
    if (fallback) fallback.hidden = true;
  } catch (error) {
    console.warn(`chart ${id}: interactive version unavailable`, error);
    target.remove();
    if (fallback) fallback.hidden = false;
  }
}

function embedAll() {
  document.querySelectorAll(".cp-chart__view[data-chart]").forEach((el) => embed(el));
}

embedAll();
new MutationObserver(embedAll).observe(document.body, {
  attributes: true,
  attributeFilter: ["data-md-color-scheme"],
});

// Material's search overlay is a dialog without a name; screen readers announce it as "Search".
document.querySelector(".md-search[role='dialog']")?.setAttribute("aria-label", "Search");
