/* The printable case file: its "Print" button opens the browser's print dialog (no inline script: the CSP
   refuses it). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
