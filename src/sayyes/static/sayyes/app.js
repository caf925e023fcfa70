// sayyes page behaviour. Pages work without this file; it adds drag and drop,
// charts and small conveniences on top. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function updateCounts(from, to) {
    [[from, -1], [to, 1]].forEach(function (pair) {
      var el = document.querySelector('[data-count-for="' + pair[0] + '"]');
      if (el) el.textContent = String(parseInt(el.textContent, 10) + pair[1]);
    });
  }

  function initBoard() {
    var board = document.getElementById("board");
    if (!board || typeof Sortable === "undefined") return;
    document.documentElement.classList.add("js-board");
    board.querySelectorAll(".cards").forEach(function (list) {
      Sortable.create(list, {
        group: "board",
        animation: 150,
        filter: "select, button, a",
        preventOnFilter: false,
        ghostClass: "dragging",
        onEnd: function (evt) {
          var from = evt.from.dataset.status;
          var to = evt.to.dataset.status;
          if (from === to) return;
          var card = evt.item;
          var body = new URLSearchParams({ status: to });
          card.classList.add("saving");
          fetch(card.dataset.statusUrl, {
            method: "POST",
            headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
            body: body,
            credentials: "same-origin",
          }).then(function (response) {
            if (!response.ok) throw new Error("status " + response.status);
            return response.text();
          }).then(function (html) {
            card.outerHTML = html;
            if (window.htmx) htmx.process(document.getElementById(card.id));
            updateCounts(from, to);
          }).catch(function () {
            // Put the card back where it was and say so.
            evt.from.insertBefore(card, evt.from.children[evt.oldIndex] || null);
            card.classList.remove("saving");
            showMessage("The card could not be moved; check your connection and try again.");
          });
        },
      });
    });
  }

  // A status picked from a card's select (htmx swaps the card): move it to its column.
  function placeSwappedCards() {
    document.body.addEventListener("htmx:afterSwap", function (evt) {
      var id = evt.detail.target && evt.detail.target.id;
      var card = id ? document.getElementById(id) : null;
      if (!card || !card.classList.contains("opp-card")) return;
      var column = card.parentElement;
      var from = column && column.dataset.status;
      var to = card.dataset.status;
      if (!from || from === to) return;
      var target = document.querySelector('.cards[data-status="' + to + '"]');
      if (target) {
        target.insertBefore(card, target.firstChild);
        updateCounts(from, to);
      }
    });
  }

  // htmx leaves the page alone on a 4xx/5xx answer; say what went wrong instead.
  function showHtmxErrors() {
    document.body.addEventListener("htmx:responseError", function (evt) {
      var xhr = evt.detail.xhr;
      var text = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0 ||
        (xhr.responseText && xhr.responseText.length < 300 && xhr.responseText.indexOf("<") === -1)
        ? xhr.responseText : "";
      showMessage(text || "That didn't work (error " + xhr.status + "). Reload the page and try again.");
    });
    document.body.addEventListener("htmx:sendError", function () {
      showMessage("sayyes could not be reached. Is it still running?");
    });
  }

  function showMessage(text) {
    var box = document.querySelector(".messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "messages";
      box.setAttribute("role", "alert");
      document.getElementById("main").prepend(box);
    }
    var p = document.createElement("p");
    p.className = "message error";
    p.textContent = text;
    box.appendChild(p);
  }

  function initFunnel() {
    var canvas = document.getElementById("funnel-chart");
    var data = document.getElementById("funnel-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    var funnel = JSON.parse(data.textContent);
    canvas.closest(".card").classList.add("has-chart");
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: funnel.labels,
        datasets: [{
          label: "Opportunities",
          data: funnel.values,
          backgroundColor: ["#5eead4", "#2dd4bf", "#14b8a6", "#0f766e"],
          borderRadius: 6,
        }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function initCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.querySelector(button.dataset.copy);
        if (!target || !navigator.clipboard) return;
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          button.textContent = "Copied";
        });
      });
    });
  }

  // A visible timer on practice questions.
  function initTimers() {
    document.querySelectorAll("[data-timer]").forEach(function (el) {
      var start = Date.now();
      setInterval(function () {
        var s = Math.floor((Date.now() - start) / 1000);
        el.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
        el.classList.toggle("over", s > 120);
      }, 1000);
    });
  }

  function colourScores(root) {
    (root || document).querySelectorAll("[data-score]").forEach(function (el) {
      var v = parseInt(el.dataset.score, 10);
      el.classList.toggle("score-low", v < 50);
      el.classList.toggle("score-mid", v >= 50 && v < 75);
    });
  }

  function initScoreChart() {
    var canvas = document.getElementById("score-chart");
    var data = document.getElementById("score-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    var history = JSON.parse(data.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: history.map(function (h) { return new Date(h.at).toLocaleDateString(); }),
        datasets: [{ label: "Score", data: history.map(function (h) { return h.score; }),
          borderColor: "#0f766e", backgroundColor: "#ccfbf1", fill: true, tension: 0.25 }],
      },
      options: { animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { min: 0, max: 100 } } },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("js");
    initBoard();
    placeSwappedCards();
    showHtmxErrors();
    initFunnel();
    initCopy();
    initTimers();
    colourScores();
    initScoreChart();
    document.body.addEventListener("htmx:afterSwap", function (evt) { colourScores(evt.detail.target); });
  });
})();
