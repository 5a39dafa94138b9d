/* Small behaviours the pages declare with data attributes, so that no page needs inline script
   (the Content-Security-Policy allows scripts from the tracker's static files only).

   data-submit-on-change: a select that sends its form as soon as a choice is made. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLElement && el.hasAttribute("data-submit-on-change") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
})();
