// Sortable tables: every table inside .cp-sortable gets a sort button in each column heading. The
// first click sorts ascending, the next descending; the heading says which with aria-sort.
//
// A column whose every filled cell starts with a number sorts numerically: ranks ("14th", "tied 4th",
// "17th est.", "14th (7–22)"), signed values ("+0.558", "−0.2"), changes ("▼ 3" < "=" < "▲ 2") and
// figures with a note after them ("26.17 (4th)"). Any other column sorts as text. An empty cell or
// "–" (missing) goes last either way. A cell (or an element in it) may give its sort value in a
// data-sort attribute instead.
(function () {
  const MISSING = /^[–—-]?$/;
  const NUMBER = /^(?:tied\s+)?([▲▼])?\s*([+\-−]?)\s*(\d[\d,\u202f]*(?:\.\d+)?)/;

  function text(cell) {
    const given = cell.hasAttribute("data-sort") ? cell : cell.querySelector("[data-sort]");
    return (given ? given.getAttribute("data-sort") : cell.textContent).trim();
  }

  // The number a cell starts with, null when it is missing, or NaN when it is not a number.
  function number(value) {
    if (MISSING.test(value)) return null;
    if (value === "=") return 0;
    const found = NUMBER.exec(value);
    if (!found) return NaN;
    const magnitude = parseFloat(found[3].replace(/[,\u202f]/g, ""));
    const negative = found[1] === "▼" || found[2] === "-" || found[2] === "−";
    return negative ? -magnitude : magnitude;
  }

  function keys(table, column) {
    const rows = Array.from(table.tBodies[0].rows);
    const values = rows.map((row) => (row.cells[column] ? text(row.cells[column]) : ""));
    const numbers = values.map(number);
    const numeric = numbers.some((n) => n !== null) && numbers.every((n) => n === null || !Number.isNaN(n));
    return rows.map((row, i) => ({
      row: row,
      missing: MISSING.test(values[i]),
      key: numeric ? numbers[i] : values[i].toLocaleLowerCase(),
    }));
  }

  function compare(a, b) {
    if (typeof a.key === "number") return a.key - b.key;
    return a.key.localeCompare(b.key, undefined, { numeric: true });
  }

  function sortBy(table, column) {
    const header = table.tHead.rows[0].cells[column];
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const sorted = keys(table, column).sort((a, b) => {
      if (a.missing || b.missing) return a.missing - b.missing; // missing last, in both directions
      return ascending ? compare(a, b) : compare(b, a);
    });
    Array.from(table.tHead.rows[0].cells).forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    sorted.forEach((item) => body.appendChild(item.row));
  }

  function setup() {
    document.querySelectorAll(".cp-sortable table").forEach((table) => {
      if (!table.tHead || !table.tBodies.length || table.dataset.sortable) return;
      table.dataset.sortable = "yes";
      Array.from(table.tHead.rows[0].cells).forEach((header, column) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "cp-sort";
        button.addEventListener("click", () => sortBy(table, column));
        const label = header.textContent.trim();
        if (header.querySelector("a")) {
          // a heading that is a link keeps it; the button beside it sorts
          button.classList.add("cp-sort--beside");
          button.setAttribute("aria-label", "Sort by " + label);
          header.appendChild(button);
        } else {
          button.textContent = label;
          header.replaceChildren(button);
        }
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
