/* Draws every chart container on the page with vega-embed (from the pinned pip package).
   A container names the JSON script holding its Vega-Lite specification in data-vega-spec. */
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.dataset.vegaSpec);
    if (!source || typeof vegaEmbed === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec || typeof spec !== "object") { return; }  /* a string would be fetched as a URL */
    vegaEmbed(el, spec, { actions: false, renderer: "svg" })
      .then(function () { el.dataset.rendered = "true"; })
      .catch(function (error) {
        el.dataset.rendered = "failed";
        el.textContent = "This chart could not be drawn; the figures are in the tables.";
        console.error(error);
      });
  }
  function drawAll() { document.querySelectorAll("[data-vega-spec]").forEach(draw); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
