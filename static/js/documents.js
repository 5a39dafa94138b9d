/* Document upload forms (templates/documents/_upload_form.html): a drop zone around the file chooser, the
   size checked before anything is sent, and a progress bar while the file travels. Without this script the
   form still works as a plain upload; the server checks everything again (size, type by content, name).
   No inline script: the Content-Security-Policy allows scripts from the tracker's static files only. */
(function () {
  "use strict";

  // The form carries its messages, translated by the page (data-msg-*), with {name} slots; English if absent.
  function message(form, name, fallback, values) {
    var text = form.getAttribute("data-msg-" + name) || fallback;
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function sizeText(bytes, form) {
    if (bytes < 1024) { return message(form, "bytes", "{count} bytes", { count: bytes }); }
    if (bytes < 1024 * 1024) { return Math.floor(bytes / 1024) + " KB"; }
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function setup(form) {
    var input = form.querySelector("input[type=file][data-document-file]");
    var zone = form.querySelector("[data-drop-zone]");
    if (!input || !zone) { return; }
    var chosen = zone.querySelector("[data-drop-chosen]");
    var error = zone.querySelector("[data-upload-error]");
    var progress = zone.querySelector("[data-upload-progress]");
    var submit = form.querySelector("[data-upload-submit]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var maxMb = form.getAttribute("data-max-mb");

    function tooLarge(file) {
      return maxBytes && file.size > maxBytes;
    }

    function show() {
      var file = input.files && input.files[0];
      error.textContent = "";
      chosen.textContent = file ? file.name + " (" + sizeText(file.size, form) + ")" : "";
      if (file && tooLarge(file)) {
        error.textContent = message(form, "too-large", "The file is {size}; the largest document accepted is {limit} MB.", {
          size: sizeText(file.size, form),
          limit: maxMb
        });
      }
    }

    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("border-primary", "bg-light");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("border-primary", "bg-light");
      });
    });
    zone.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) { return; }
      var transfer = new DataTransfer();
      transfer.items.add(files[0]);
      input.files = transfer.files;
      show();
    });

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!window.XMLHttpRequest || !window.FormData || !file) { return; }  // the plain form does the rest
      event.preventDefault();
      if (tooLarge(file)) { show(); return; }
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action") || window.location.href);
      request.setRequestHeader("X-Document-Upload", "1");
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { progress.value = Math.round((e.loaded / e.total) * 100); }
      });
      request.addEventListener("load", function () {
        var target = request.getResponseHeader("X-Document-Location");
        if (request.status === 204 && target) {
          window.location.assign(target);  // saved: on to the record's page, where the confirmation waits
          return;
        }
        if (request.status === 200) {  // the form again, with the server's messages
          var page = new DOMParser().parseFromString(request.responseText, "text/html");
          var fresh = page.querySelector("form[data-document-upload]");
          if (fresh) {
            form.replaceWith(fresh);
            setup(fresh);
            return;
          }
        }
        progress.classList.add("d-none");
        submit.disabled = false;
        error.textContent = request.status === 400
          ? message(form, "refused", "The upload was refused: the file is too large.")
          : message(form, "failed", "The upload failed ({status}). Try again.", { status: request.status });
      });
      request.addEventListener("error", function () {
        progress.classList.add("d-none");
        submit.disabled = false;
        error.textContent = message(form, "connection", "The connection failed during the upload. Try again.");
      });
      progress.value = 0;
      progress.classList.remove("d-none");
      submit.disabled = true;
      error.textContent = "";
      request.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-document-upload]").forEach(setup);
})();
