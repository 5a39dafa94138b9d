/* Small behaviours the pages declare with data attributes, so that no page needs inline script
   (the Content-Security-Policy allows scripts from the tracker's static files only).

   data-submit-on-change: a select that sends its form as soon as a choice is made.
   data-focus-on-load: the element to start from when the page opens (a refused form's error summary),
     whose links move to the field they name.
   Tables: a table wider than the page scrolls sideways inside a box (.table-responsive) that the keyboard
     can reach and a screen reader names, so that nothing is cut off on a phone. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLElement && el.hasAttribute("data-submit-on-change") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  /* The error summary: read first; each of its links puts the cursor in the field it names. */
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    var label = field.id ? document.querySelector("label[for='" + field.id + "']") : null;
    (field.closest("fieldset") || label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var heading = table.closest("section, .card, main");
    heading = heading ? heading.querySelector("h1, h2, h3, h4, .card-header") : null;
    return heading ? heading.textContent.trim() : "Table";
  }

  /* A box that scrolls is a stop for the keyboard (arrow keys then scroll it), named after its table. */
  function markScrolling() {
    document.querySelectorAll("main .table-responsive").forEach(function (box) {
      var table = box.querySelector("table");
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (table ? nameOf(table) : "Table") + " (scrolls sideways)");
        box.dataset.scrollMarked = "true";
      } else if (!scrolls && box.dataset.scrollMarked) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollMarked;
      }
    });
  }

  function start() {
    document.querySelectorAll("main table.table").forEach(function (table) {
      if (table.closest(".table-responsive")) { return; }
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    markScrolling();
    document.addEventListener("toggle", markScrolling, true);  /* a <details> opened on a wide table */
    var resizing;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(markScrolling, 150);
    });
    var first = document.querySelector("[data-focus-on-load]");
    if (first) { first.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
