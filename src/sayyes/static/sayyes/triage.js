// The triage page: the six reasons as a radar chart, replies that copy and open in a mail
// app with what the user edited. Data comes from json_script (the CSP forbids inline scripts).
(function () {
  "use strict";

  function twoLines(label) {
    var words = label.split(" ");
    var half = Math.ceil(words.length / 2);
    return words.length < 3 ? label : [words.slice(0, half).join(" "), words.slice(half).join(" ")];
  }

  function initRadar() {
    var canvas = document.getElementById("reasons-chart");
    var data = document.getElementById("reasons-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    var reasons = JSON.parse(data.textContent);
    canvas.closest(".card").classList.add("has-radar");
    new Chart(canvas, {
      type: "radar",
      data: {
        // On a phone the long labels go on two lines, so none is cut off at the edge.
        labels: window.innerWidth < 600 ? reasons.labels.map(twoLines) : reasons.labels,
        datasets: [{
          label: "Worth to you",
          data: reasons.scores.map(function (s) { return Math.round(s * 100); }),
          borderColor: "#0f766e",
          backgroundColor: "rgba(20, 184, 166, 0.25)",
          pointBackgroundColor: "#0f766e",
        }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { r: { min: 0, max: 100, ticks: { stepSize: 25, backdropColor: "transparent" } } },
      },
    });
  }

  function mailtoFor(textarea) {
    var link = document.querySelector(textarea.dataset.mailto);
    if (!link) return;
    var base = link.getAttribute("href").split("?")[0];
    link.setAttribute("href", base + "?subject=" + encodeURIComponent(textarea.dataset.subject) +
      "&body=" + encodeURIComponent(textarea.value));
  }

  function initReplies() {
    document.querySelectorAll("textarea[data-mailto]").forEach(function (textarea) {
      textarea.addEventListener("input", function () { mailtoFor(textarea); });
    });
    document.querySelectorAll("[data-copy-value]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.querySelector(button.dataset.copyValue);
        if (!target) return;
        var done = function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(target.value).then(done, function () {
            target.select();
          });
        } else {
          // Plain http on another machine: select the text so Ctrl+C copies it.
          target.focus();
          target.select();
          button.textContent = "Selected: press Ctrl+C";
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initRadar();
    initReplies();
  });
})();
