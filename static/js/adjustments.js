// The totals under a proposed adjusting entry's lines, kept up to date as the officer types.
(function () {
  "use strict";
  const table = document.getElementById("proposal-lines");
  if (!table) return;
  const format = new Intl.NumberFormat("en-KE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function total(column) {
    let sum = 0;
    table.querySelectorAll('input[name$="-' + column + '"]').forEach(function (input) {
      const value = parseFloat(input.value.replace(/,/g, ""));
      if (!isNaN(value)) sum += value;
    });
    return sum;
  }
  function refresh() {
    document.getElementById("total-debit").textContent = format.format(total("debit"));
    document.getElementById("total-credit").textContent = format.format(total("credit"));
  }
  table.addEventListener("input", refresh);
})();
