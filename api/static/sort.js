// Sortable tables: click a header with data-sort="text" or "num" to sort by that column.
// Cells may carry data-value to sort by something other than their text (role ranks).
(function () {
  "use strict";
  function value(row, index, numeric) {
    var cell = row.children[index];
    if (!cell) return numeric ? 0 : "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    return numeric ? parseFloat(raw) || 0 : raw.trim();
  }
  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-sort") === "num";
    // Numbers sort high-to-low first (most tasks, lead first); text sorts A→Z first.
    var ascending = th.classList.contains("sorted-desc") || (!numeric && !th.classList.contains("sorted-asc"));
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index, numeric), y = value(b, index, numeric);
      var c = numeric ? x - y : String(x).localeCompare(String(y), "zh-Hans-CN");
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("th[data-sort]").forEach(function (h) {
      h.classList.remove("sorted-asc", "sorted-desc");
    });
    th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th[data-sort]").forEach(function (th) {
      th.addEventListener("click", function (event) {
        if (event.target.closest("a")) return;  // the task number links to the task page
        sortBy(table, th);
      });
    });
  });
})();
