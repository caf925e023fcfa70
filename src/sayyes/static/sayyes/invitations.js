// "Log an invitation": a file dropped on the drop zone is put in the file field and sent.
// Without JavaScript the file field and the paste box work the same way.
(function () {
  "use strict";

  function init() {
    var zone = document.getElementById("drop-zone");
    var form = document.getElementById("invitation-form");
    if (!zone || !form) return;
    var input = form.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length || !input) return;
      input.files = files;
      form.submit();
    });
    zone.setAttribute("data-ready", "");  // listening: a drop now sends the file
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
