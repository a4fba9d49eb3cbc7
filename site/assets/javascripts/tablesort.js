// Click a column heading of a table inside .cp-sortable to sort by it; click again to reverse.
(function () {
  function value(cell) {
    const text = cell.textContent.trim().replace(/[▲▼=]/g, "").replace("–", "");
    const number = parseFloat(text.replace(/[^0-9.+-]/g, ""));
    return text !== "" && !Number.isNaN(number) && /^[\s▲▼+-]*[0-9]/.test(cell.textContent.trim())
      ? (cell.textContent.includes("▼") ? -number : number)
      : text.toLowerCase();
  }
  function sortBy(table, column, header) {
    const body = table.tBodies[0];
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = value(a.cells[column]);
      const y = value(b.cells[column]);
      if (x === y) return 0;
      if (x === "") return 1;
      if (y === "") return -1;
      return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    });
    table.querySelectorAll("th").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach((row) => body.appendChild(row));
  }
  function setup() {
    document.querySelectorAll(".cp-sortable table").forEach((table) => {
      Array.from(table.tHead.rows[0].cells).forEach((header, column) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "cp-sort";
        button.textContent = header.textContent;
        button.addEventListener("click", () => sortBy(table, column, header));
        header.replaceChildren(button);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
