// The map page's world maps, drawn without the Vega runtime. The build projected every country once
// (charts/map-shapes.svg, made by vl-convert from the map's own projections: the world, then Europe
// enlarged), for both editions' maps; each map's figure names that file (data-map) and the page holds
// the edition's colours, tooltips, links and legend as JSON (#<chart id>-data, scoring/pages/charts/
// geo.py map_data). This script colours the shapes for the metric picked in the menu, links each
// country to its page and shows a tooltip on hover or focus. If anything fails, the static SVG is
// shown instead. Text from the data goes in with textContent and setAttribute only.
import { drawn, drawWhenNear, element, failed } from "./charts.js";

const SITE = new URL("../../", import.meta.url); // this file is assets/javascripts/map.js
const SVG = "http://www.w3.org/2000/svg";
let shapes = null; // the parsed shapes file, fetched once for every map of the page

function loadShapes(url) {
  shapes ??= fetch(url)
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.url}`);
      return response.text();
    })
    .then((text) => {
      const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
      if (parsed.querySelector("parsererror") || !parsed.querySelector("g[data-part]")) {
        throw new Error("the map's shapes are unreadable");
      }
      return parsed;
    })
    .catch((error) => {
      shapes = null; // a later try fetches again
      throw error;
    });
  return shapes;
}

// One tooltip for the page, described by (aria-describedby) the country that shows it.
const tooltip = element("div", { class: "cp-map__tooltip", id: "cp-map-tooltip", role: "tooltip" });
tooltip.hidden = true;

function showTip(link, rows, x, y) {
  const table = element("table");
  for (const [field, text] of rows) {
    const row = table.insertRow();
    row.append(element("th", { scope: "row" }, field), element("td", {}, text));
  }
  tooltip.replaceChildren(table);
  tooltip.hidden = false;
  link.setAttribute("aria-describedby", tooltip.id);
  // beside the pointer (or the focused shape), kept inside the window
  const box = tooltip.getBoundingClientRect();
  const left = Math.min(x + 14, window.innerWidth - box.width - 4);
  const top = y + 14 + box.height > window.innerHeight ? y - box.height - 10 : y + 14;
  tooltip.style.left = `${Math.max(4, left)}px`;
  tooltip.style.top = `${Math.max(4, top)}px`;
}

function hideTip() {
  tooltip.hidden = true;
  document.querySelectorAll("[aria-describedby='cp-map-tooltip']").forEach((el) => el.removeAttribute("aria-describedby"));
}

// One <svg> per part of the shapes file (0: the world, 1: Europe), cut to the part's own box.
function partSvg(source, part, label) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", `cp-map__shapes cp-map__part-${part}`);
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", label);
  svg.append(document.importNode(source, true));
  return svg;
}

function fitBox(svg, width) {
  const box = svg.firstElementChild.getBBox();
  const top = Math.floor(box.y);
  const height = Math.ceil(box.y + box.height) - top;
  svg.setAttribute("viewBox", `0 ${top} ${width} ${height}`);
}

async function draw(container) {
  const id = container.dataset.chart;
  const live = element("div", { class: "cp-chart__live cp-map" });
  try {
    const data = JSON.parse(document.getElementById(`${id}-data`).textContent);
    const parsed = await loadShapes(new URL(container.dataset.map, document.baseURI));
    const width = Number(parsed.documentElement.getAttribute("viewBox").split(" ")[2]);
    const [world, europe] = [...parsed.querySelectorAll("g[data-part]")];
    const byId = new Map(data.countries.map((c) => [c.id, c]));
    const metrics = new Map(data.metrics.map((m) => [m.key, m]));

    const menu = element("select", { class: "cp-map__select" });
    for (const m of data.metrics) menu.append(element("option", { value: m.key }, m.label));
    const label = element("label", { class: "cp-map__menu" }, "Show ");
    label.append(menu);
    const worldSvg = partSvg(world, 0, "World map");
    const caption = element("p", { class: "cp-map__caption", "aria-hidden": "true" }, "Europe, enlarged");
    const europeSvg = partSvg(europe, 1, "Europe, enlarged");
    // Europe keeps its height on a narrow screen (the stylesheet: 3/4 of the width, at most its own),
    // cut at the sides, as the static image's layout does: the box it was fitted to stays whole
    europeSvg.setAttribute("preserveAspectRatio", "xMidYMid slice");
    const legendTitle = element("p", { class: "cp-map__legend-title" });
    const legendList = element("ul", { class: "cp-map__legend-entries" });
    const legend = element("div", { class: "cp-map__legend", "aria-live": "polite" });
    legend.append(legendTitle, legendList);
    live.append(label, worldSvg, caption, europeSvg, legend);

    // each shape of a country of the edition becomes a link to its page (the Europe copy is left out
    // of the keyboard order and of the accessibility tree: the world's copy stands for it); the others
    // are drawn grey, as background
    const shown = []; // [link or shape, country]
    for (const svg of [worldSvg, europeSvg]) {
      const inEurope = svg === europeSvg;
      for (const shape of [...svg.querySelectorAll("[data-id]")]) {
        const country = byId.get(shape.getAttribute("data-id"));
        if (!country || (shape.localName === "circle" && !country.ranked)) {
          if (shape.localName === "circle") shape.remove();
          else shape.setAttribute("class", "cp-map__grey");
          continue;
        }
        let target = shape;
        if (country.url) {
          target = document.createElementNS(SVG, "a");
          target.setAttribute("href", new URL(country.url, SITE).href);
          shape.replaceWith(target);
          target.append(shape);
        } else {
          target.setAttribute("role", "img");
        }
        if (inEurope) {
          target.setAttribute("tabindex", "-1");
          target.setAttribute("aria-hidden", "true");
        }
        shown.push([target, shape, country]);
      }
    }

    const paint = () => {
      const metric = metrics.get(menu.value);
      for (const [target, shape, country] of shown) {
        const [colour, , description] = country.metrics[metric.key];
        shape.setAttribute("fill", colour);
        shape.classList.toggle("cp-map__grey", colour === data.grey);
        target.setAttribute("aria-label", description);
      }
      legendTitle.textContent = metric.title;
      legendList.replaceChildren(
        ...metric.legend.map(([text, colour]) => {
          const swatch = element("span", { class: "cp-map__swatch", "aria-hidden": "true" });
          swatch.style.backgroundColor = colour;
          if (colour === data.grey) swatch.classList.add("cp-map__grey");
          const entry = element("li", {}, null);
          entry.append(swatch, document.createTextNode(text));
          return entry;
        }),
      );
      hideTip();
    };
    menu.addEventListener("change", paint);
    paint();

    const rowsOf = (target) => {
      const found = shown.find(([t]) => t === target);
      return found ? found[2].metrics[menu.value][1] : null;
    };
    const targetOf = (event) => event.target.closest?.(".cp-map__shapes a, .cp-map__shapes [role='img']");
    live.addEventListener("pointermove", (event) => {
      const target = targetOf(event);
      const rows = target && rowsOf(target);
      if (rows) showTip(target, rows, event.clientX, event.clientY);
      else hideTip();
    });
    live.addEventListener("pointerleave", hideTip);
    live.addEventListener("focusin", (event) => {
      const target = targetOf(event);
      const rows = target && rowsOf(target);
      if (!rows) return;
      const box = target.getBoundingClientRect();
      showTip(target, rows, box.left + box.width / 2, box.top + box.height / 2);
    });
    live.addEventListener("focusout", hideTip);

    container.querySelectorAll(".cp-chart__live").forEach((old) => old.remove());
    container.prepend(live);
    fitBox(worldSvg, width); // measured once in the page
    fitBox(europeSvg, width);
    drawn(container);
  } catch (error) {
    failed(container, live, error);
  }
}

const maps = [...document.querySelectorAll(".cp-chart__view[data-chart][data-map]")];
if (maps.length) {
  document.body.append(tooltip);
  document.addEventListener("keydown", (event) => event.key === "Escape" && hideTip());
  drawWhenNear(maps, draw);
}
