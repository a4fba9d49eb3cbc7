// The compare page: any edition, up to six countries, kept in the page's address
// (compare/?edition=ncpi-2022&c=CHN,USA,RUS) so that a comparison can be shared and back/forward walk
// through the choices. The charts hold every ranked country; this script sets their `selection`
// signal (scoring/pages/charts/compare.py) and rebuilds their tables from the page's JSON data
// (#cp-compare-data). Without JavaScript the page shows the default pair as static images and tables.
// Text from the data goes in with textContent only.
import { element } from "./charts.js";

const dataElement = document.getElementById("cp-compare-data");
const panel = document.querySelector(".cp-compare");

function listed(names) {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

if (dataElement && panel) {
  const data = JSON.parse(dataElement.textContent);
  const editions = new Map(data.editions.map((e) => [e.id, e]));
  const max = data.max;
  const palette = data.palette; // the charts' country colours, in the order countries are chosen
  const views = new Map(); // chart id -> its latest Vega view (charts.js makes a new one on a redraw)
  const pageTitle = document.title;
  let state = null;

  // The state an address asks for, made valid: a known edition (else the newest), its ranked
  // countries only, each once, at most `max` (else the edition's default pair).
  function fromAddress() {
    const query = new URLSearchParams(window.location.search);
    const edition = editions.get(query.get("edition")) ?? data.editions[0];
    const known = new Set(edition.countries.map(([iso3]) => iso3));
    const asked = (query.get("c") ?? "").toUpperCase().split(",");
    const countries = [...new Set(asked.filter((c) => known.has(c)))].slice(0, max);
    return { edition: edition.id, countries: countries.length ? countries : [...edition.chosen] };
  }

  // ISO3 codes are letters: the list keeps its commas, readable in a shared link
  function address(s) {
    const url = new URL(window.location.href);
    const countries = s.countries.map(encodeURIComponent).join(",");
    url.search = `?edition=${encodeURIComponent(s.edition)}&c=${countries}`;
    return url;
  }

  const names = (edition) => new Map(edition.countries);

  // --- the controls -------------------------------------------------------------------------------
  const editionLabel = element("label", { class: "cp-compare__field" });
  editionLabel.append(element("span", {}, "Edition"));
  const editionMenu = element("select", { name: "edition" });
  for (const e of data.editions) editionMenu.append(element("option", { value: e.id }, e.title));
  editionLabel.append(editionMenu);

  const chosenHeading = element("p", { class: "cp-compare__heading", id: "cp-compare-chosen" });
  const chips = element("ul", { class: "cp-compare__chips", "aria-labelledby": "cp-compare-chosen" });

  const addLabel = element("label", { class: "cp-compare__field" });
  addLabel.append(element("span", {}, "Add a country"));
  const addMenu = element("select", { name: "add" });
  addLabel.append(addMenu);

  const status = element("p", { class: "cp-compare__status", role: "status", "aria-live": "polite" });
  panel.append(editionLabel, chosenHeading, chips, addLabel, status);

  editionMenu.addEventListener("change", () => {
    const edition = editions.get(editionMenu.value);
    const known = new Set(edition.countries.map(([iso3]) => iso3));
    const kept = state.countries.filter((c) => known.has(c));
    choose({ edition: edition.id, countries: kept.length ? kept : [...edition.chosen] });
  });
  addMenu.addEventListener("change", () => {
    const iso3 = addMenu.value;
    if (!iso3 || state.countries.includes(iso3) || state.countries.length >= max) return;
    choose({ ...state, countries: [...state.countries, iso3] }, addMenu);
  });

  function removeCountry(iso3) {
    if (state.countries.length < 2) return;
    choose({ ...state, countries: state.countries.filter((c) => c !== iso3) }, addMenu);
  }

  function drawControls() {
    const edition = editions.get(state.edition);
    const named = names(edition);
    editionMenu.value = state.edition;
    chosenHeading.textContent = `Countries (${state.countries.length} of at most ${max})`;
    chips.replaceChildren(
      ...state.countries.map((iso3, slot) => {
        const chip = element("li", { class: "cp-compare__chip" });
        const swatch = element("span", { class: "cp-compare__swatch", "aria-hidden": "true" });
        swatch.style.backgroundColor = palette[slot];
        const remove = element("button", { type: "button", "aria-label": `Remove ${named.get(iso3)}` }, "×");
        remove.disabled = state.countries.length < 2; // one country is the least there is to show
        remove.addEventListener("click", () => removeCountry(iso3));
        chip.append(swatch, element("span", {}, named.get(iso3)), remove);
        return chip;
      }),
    );
    // only countries not chosen yet: the same country cannot be chosen twice
    const full = state.countries.length >= max;
    const prompt = full ? `At most ${max} countries` : "Choose a country…";
    addMenu.replaceChildren(
      element("option", { value: "" }, prompt),
      ...edition.countries
        .filter(([iso3]) => !state.countries.includes(iso3))
        .map(([iso3, name]) => element("option", { value: iso3 }, name)),
    );
    addMenu.value = "";
    addMenu.disabled = full;
    const chosen = state.countries.map((c) => named.get(c));
    status.textContent = `Comparing ${listed(chosen)} in ${edition.title}.`;
  }

  // --- the sections, charts and tables ------------------------------------------------------------
  // A chart's table for the chosen countries, as text: its headers and its rows of cells.
  function tableOf(tables) {
    if (tables.lead) {
      const [leadHead, leadCells] = tables.lead;
      return {
        head: [leadHead, ...state.countries.map((c) => tables.head[c])],
        rows: leadCells.map((cell, i) => [cell, ...state.countries.map((c) => tables.cells[c][i])]),
      };
    }
    return { head: [...tables.head], rows: state.countries.map((c) => [...tables.cells[c]]) };
  }

  function drawTable(figure, tables) {
    const table = figure.querySelector(".cp-table table");
    if (!table || !tables) return;
    const { head, rows } = tableOf(tables);
    const headRow = element("tr");
    head.forEach((h) => headRow.append(element("th", { scope: "col" }, h)));
    table.tHead.replaceChildren(headRow);
    table.tBodies[0].replaceChildren(
      ...rows.map((cells) => {
        const row = element("tr");
        cells.forEach((cell) => row.append(element("td", {}, cell)));
        return row;
      }),
    );
    linkCsv(figure, head, rows);
  }

  // The chart's "Data shown (CSV)" link downloads the table shown, made here (without JavaScript it
  // is the static file of the default pair). As the site's downloads (scoring/outputs/export.py): a
  // cell a spreadsheet would run as a formula starts with an apostrophe; headers (country names) too.
  // (tests/test_pages.py keeps this list the same as export.FORMULA_STARTS)
  const FORMULA_STARTS = [
    "=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b",
  ];
  const neutral = (text) => (FORMULA_STARTS.some((s) => text.startsWith(s)) ? `'${text}` : text);
  const quoted = (text) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const csvLine = (cells) => cells.map((c) => quoted(neutral(c ?? ""))).join(",");
  const csvUrls = new Map(); // chart id -> the object URL its link holds now

  function linkCsv(figure, head, rows) {
    const link = figure.querySelector('.cp-chart__menu a[href$=".csv"], .cp-chart__menu a[data-csv]');
    const id = figure.querySelector(".cp-chart__view")?.dataset.chart;
    if (!link || !id) return;
    const text = [head, ...rows].map(csvLine).join("\n") + "\n";
    const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    if (csvUrls.has(id)) URL.revokeObjectURL(csvUrls.get(id));
    csvUrls.set(id, url);
    link.dataset.csv = "";
    link.href = url;
    link.download = `${id}-${state.countries.join("-").toLowerCase()}.csv`;
  }

  function applySelection(container, view) {
    view.signal("selection", state.countries);  // the palette's `dark` signal is charts.js's
    container.dataset.selection = state.countries.join(",");
  }

  function drawSections() {
    const edition = editions.get(state.edition);
    document.querySelectorAll(".cp-compare__edition").forEach((section) => {
      section.hidden = section.dataset.edition !== state.edition;
    });
    const shown = `.cp-compare__edition[data-edition="${CSS.escape(state.edition)}"] .cp-chart`;
    document.querySelectorAll(shown).forEach((figure) => {
      const container = figure.querySelector(".cp-chart__view");
      const id = container?.dataset.chart;
      drawTable(figure, edition.tables[id]);
      const view = views.get(id);
      if (view) {
        applySelection(container, view);
        view.runAsync();
      }
    });
    const named = names(edition);
    document.title = `${state.countries.map((c) => named.get(c)).join(" vs ")} · ${pageTitle}`;
  }

  // A chart's view, before its first run: it starts with the selection (charts.js, "cp-chart-view").
  document.addEventListener("cp-chart-view", (event) => {
    const container = event.target;
    const id = container.dataset.chart;
    if (!container.closest(".cp-compare__edition")) return;
    views.set(id, event.detail.view);
    const section = container.closest(".cp-compare__edition");
    if (section.dataset.edition === state.edition) applySelection(container, event.detail.view);
  });

  // `push`: a new entry in the history (a reader's choice); without, the address is only tidied.
  function choose(next, focus = null, push = true) {
    state = next;
    const url = address(state);
    if (push && url.href !== window.location.href) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    drawControls();
    drawSections();
    focus?.focus();
  }

  window.addEventListener("popstate", () => choose(fromAddress(), null, false));
  // a link to an edition's heading (the table of contents) shows that edition
  window.addEventListener("hashchange", () => {
    const edition = editions.get(decodeURIComponent(window.location.hash.slice(1)));
    if (edition && edition.id !== state.edition) {
      editionMenu.value = edition.id;
      editionMenu.dispatchEvent(new Event("change"));
      document.getElementById(edition.id)?.scrollIntoView();
    }
  });
  document.querySelector(".cp-compare__jump")?.setAttribute("hidden", "");
  panel.hidden = false;
  choose(fromAddress(), null, false);
}
