// Turns each static chart image into an interactive Vega chart (tooltips, links, menus), themed for
// Material's light or dark palette. A chart's spec was compiled from Vega-Lite to Vega at build time
// (charts/<id>.vg.json, named by the figure's data-spec); the Vega runtime (vega-bundle.js) is loaded
// only on a page that has such a chart, and a chart is drawn only when it comes near the screen. If
// anything fails, the static SVG is shown instead. The world maps have no data-spec: map.js draws them.
const views = new Map();
const SITE = new URL("../../", import.meta.url); // this file is assets/javascripts/charts.js
// Colours for Material's slate scheme (background #1e2129), as Vega configuration: labels and titles
// 13:1 against it, axis lines and ticks 6.9:1 (WCAG asks 4.5:1 of text, 3:1 of graphics), gridlines
// 1.8:1, there to read across by without competing with the marks; text marks (the scatter labels) light
const DARK = {
  title: { color: "#e8eaf0", subtitleColor: "#e8eaf0" },
  style: { "guide-label": { fill: "#e8eaf0" }, "guide-title": { fill: "#e8eaf0" } },
  axis: { domainColor: "#a4a9bb", tickColor: "#a4a9bb", gridColor: "#444a5e" },
  text: { fill: "#e0e0e0" },
};
let runtime = null;

function dark() {
  return document.body.getAttribute("data-md-color-scheme") === "slate";
}

function loadRuntime() {
  runtime ??= import(new URL("vega-bundle.js", import.meta.url).href).then(() => window.vega);
  return runtime;
}

async function loadSpec(container) {
  const response = await fetch(new URL(container.dataset.spec, document.baseURI));
  if (!response.ok) throw new Error(`${response.status} ${response.url}`);
  return response.json();
}

// What every live figure shares (map.js imports it: the same module, already loaded on every page).
// The static image, which the page holds in a <noscript> (so that it is downloaded only without
// JavaScript), put in the page: when the live chart cannot be drawn.
function staticImage(container) {
  const existing = container.querySelector(":scope > img");
  if (existing) return existing;
  const markup = container.querySelector("noscript")?.textContent ?? "";
  const image = new DOMParser().parseFromString(markup, "text/html").querySelector("img");
  return image ? container.appendChild(document.importNode(image, true)) : null;
}

// An element with `attributes`, and `text` as its text: what comes from the data never becomes markup
// (map.js and compare.js build their menus, legends and tables with it).
export function element(tag, attributes = {}, text = null) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  if (text !== null) el.textContent = text;
  return el;
}

// A figure's live version is drawn: its static image goes, and the page's first one is timed.
export function drawn(container) {
  const fallback = container.querySelector(":scope > img");
  if (fallback) fallback.hidden = true;
  if (!performance.getEntriesByName("cp-first-chart").length) performance.mark("cp-first-chart");
}

// A figure's live version failed: its static image is shown instead.
export function failed(container, live, error) {
  console.warn(`${container.dataset.chart}: interactive version unavailable`, error);
  live.remove();
  const image = staticImage(container);
  if (image) image.hidden = false;
}

// `draw(figure)` for each of `figures` once it comes near the screen.
export function drawWhenNear(figures, draw) {
  const nearScreen = new IntersectionObserver(
    (entries) => {
      for (const entry of entries.filter((e) => e.isIntersecting)) {
        nearScreen.unobserve(entry.target);
        draw(entry.target);
      }
    },
    { rootMargin: "400px 0px" },
  );
  figures.forEach((el) => nearScreen.observe(el));
}

async function draw(container) {
  const id = container.dataset.chart;
  const target = document.createElement("div");
  target.className = "cp-chart__live";
  try {
    const [vega, spec] = await Promise.all([loadRuntime(), loadSpec(container)]);
    container.querySelectorAll(".cp-chart__live").forEach((old) => old.remove());
    container.prepend(target); // in the page before drawing, so that "container" width is known
    // `ast` and the interpreter: expressions are evaluated without eval(), so the site's
    // Content-Security-Policy needs no 'unsafe-eval'
    const parsed = vega.parse(spec, dark() ? DARK : {}, { ast: true });
    const view = new vega.View(parsed, {
      renderer: "svg",
      container: target,
      hover: true,
      expr: window.vegaInterpreter,
      // marks that stand for a country or objective link to its page (paths from the site's root),
      // opened in the same tab
      loader: vega.loader({ baseURL: SITE.href, target: "_self" }),
      tooltip: new window.VegaTooltip({ theme: dark() ? "dark" : "light" }).call,
    });
    // colours the dark config cannot give (a mark's own colour) follow the spec's `dark` signal
    if (spec.signals?.some((s) => s.name === "dark")) view.signal("dark", dark());
    // a page's own script may set the view's signals before its first run (compare.js: the selection)
    container.dispatchEvent(new CustomEvent("cp-chart-view", { bubbles: true, detail: { view } }));
    await view.runAsync();
    views.get(id)?.finalize();
    views.set(id, view);
    drawn(container);
  } catch (error) {
    failed(container, target, error);
  }
}

const charts = [...document.querySelectorAll(".cp-chart__view[data-chart][data-spec]")];
if (charts.length) {
  drawWhenNear(charts, draw);
  // a palette switch redraws the charts already drawn
  new MutationObserver(() => charts.filter((el) => views.has(el.dataset.chart)).forEach(draw)).observe(
    document.body,
    { attributes: true, attributeFilter: ["data-md-color-scheme"] },
  );
}

// "Link to this chart" also copies the link (the plain anchor works without JavaScript).
document.addEventListener("click", (event) => {
  const link = event.target.closest?.(".cp-chart__anchor");
  if (!link || !navigator.clipboard) return;
  navigator.clipboard.writeText(link.href).then(
    () => {
      link.dataset.copied = "Link copied";
      setTimeout(() => delete link.dataset.copied, 2000);
    },
    () => {},
  );
});

// The chart menu's "Image (PNG)": the chart's static SVG (the item's link) drawn on white at the
// item's data-scale, in this browser, when the reader asks for it; the build makes a PNG only of each
// page's main chart, its Open Graph image. The item is hidden without JavaScript.
async function savePng(link) {
  const response = await fetch(link.href);
  if (!response.ok) throw new Error(`${response.status} ${response.url}`);
  const text = await response.text();
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  // sized as vl-convert sizes the build's PNGs: the SVG's size, whole pixels up, times the scale, down
  const root = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  const scale = Number(link.dataset.scale);
  const [width, height] = ["width", "height"].map((side) =>
    Math.floor(Math.ceil(Number(root.getAttribute(side))) * scale),
  );
  const canvas = element("canvas", { width, height });
  const context = canvas.getContext("2d");
  context.fillStyle = "white";
  context.fillRect(0, 0, width, height);
  context.drawImage(image, 0, 0, width, height);
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((made) => (made ? resolve(made) : reject(new Error("no PNG made"))), "image/png"),
  );
  const url = URL.createObjectURL(blob);
  const save = document.body.appendChild(element("a", { href: url, download: link.getAttribute("download") }));
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
document.querySelectorAll(".cp-chart__png").forEach((item) => (item.hidden = false));
document.addEventListener("click", (event) => {
  const link = event.target.closest?.(".cp-chart__png > a");
  if (!link) return;
  event.preventDefault(); // the link is the SVG's: without this, the SVG would be saved as .png
  savePng(link).catch((error) => {
    console.warn(`${link.getAttribute("download")}: not made`, error);
    link.textContent = "Image (PNG): not made by this browser, take the SVG";
  });
});

// Material's search overlay is a dialog without a name; screen readers announce it as "Search".
document.querySelector(".md-search[role='dialog']")?.setAttribute("aria-label", "Search");

// Material wraps wide tables in a scrolling box; a keyboard user must be able to reach and scroll it
// (WCAG 2.1.1), so each box takes focus and is named after the table it holds.
function focusableScrollBoxes() {
  document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach((box) => {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    const heading = box.querySelector("th")?.textContent?.trim();
    box.setAttribute("aria-label", heading ? `Table (scrolls sideways), first column: ${heading}` : "Table");
  });
}
focusableScrollBoxes();
new MutationObserver(focusableScrollBoxes).observe(document.body, { childList: true, subtree: true });
