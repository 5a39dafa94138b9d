/* Draws every chart container on the page with vega-embed (from the pinned pip package).
   A container names the JSON script holding its Vega-Lite specification in data-vega-spec.

   Content-Security-Policy: Vega normally compiles its expressions with the Function constructor, which
   would need 'unsafe-eval'. "ast: true" makes vega-embed use Vega's expression interpreter instead (the
   CSP-safe one bundled with vega-embed). vega-embed and vega-tooltip would also inject their styles as an
   inline <style>; they are told not to, and the few rules the charts need are in css/tracker.css. */
(function () {
  "use strict";
  /* The reader's words, written by the page ({% vega_scripts %}): month and day names for date axes, and
     the sentence shown when a chart cannot be drawn. */
  var wordsSource = document.getElementById("vega-words");
  var words = wordsSource ? JSON.parse(wordsSource.textContent) : {};
  function draw(el) {
    var source = document.getElementById(el.dataset.vegaSpec);
    if (!source || typeof vegaEmbed === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec || typeof spec !== "object") { return; }  /* a string would be fetched as a URL */
    var options = {
      actions: false,
      renderer: "svg",
      ast: true,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true }
    };
    if (words.time) { options.timeFormatLocale = words.time; }
    vegaEmbed(el, spec, options)
      .then(function () {
        /* Vega makes its container a "graphics-document" whose parts it names in English: keep it the one
           image named in the page's language, its parts not read out one by one. */
        el.setAttribute("role", "img");
        el.removeAttribute("aria-roledescription");
        el.dataset.rendered = "true";
      })
      .catch(function (error) {
        el.dataset.rendered = "failed";
        el.textContent = words.failed || "This chart could not be drawn; the figures are in the tables.";
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
