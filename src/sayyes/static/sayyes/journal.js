// The journal's charts and the ordering of questions to ask. Pages work without it.
(function () {
  "use strict";

  var COLORS = ["#0f766e", "#b45309", "#6d28d9", "#be123c", "#1d4ed8"];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function ratingScale() {
    return { min: 0, max: 5, ticks: { stepSize: 1, backdropColor: "transparent" } };
  }

  function companyChart() {
    var canvas = document.getElementById("company-chart");
    var chart = data("company-chart-data");
    if (!canvas || !chart || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: "Mean rating", data: chart.values, backgroundColor: COLORS[0], borderRadius: 6 }],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false } },
        scales: { y: ratingScale() },
      },
    });
  }

  function compareChart() {
    var canvas = document.getElementById("compare-chart");
    var chart = data("compare-chart-data");
    if (!canvas || !chart || typeof Chart === "undefined") return;
    // A radar needs three axes or more; with fewer, bars say the same thing.
    var radar = chart.labels.length >= 3;
    new Chart(canvas, {
      type: radar ? "radar" : "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (s, i) {
          var color = COLORS[i % COLORS.length];
          return {
            label: s.name, data: s.values, borderColor: color,
            backgroundColor: radar ? color + "33" : color, pointBackgroundColor: color,
            spanGaps: true,
          };
        }),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: radar ? { r: ratingScale() } : { y: ratingScale() },
      },
    });
    canvas.dataset.ready = "true";
  }

  function insightsCharts() {
    var chart = data("insights-chart-data");
    if (!chart || typeof Chart === "undefined") return;
    var interest = document.getElementById("interest-chart");
    if (interest && chart.labels.length) {
      new Chart(interest, {
        type: "bar",
        data: { labels: chart.labels, datasets: [{ label: "Overall interest", data: chart.values, backgroundColor: COLORS[0], borderRadius: 6 }] },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: ratingScale() } },
      });
    }
    var themes = document.getElementById("themes-chart");
    if (themes && chart.terms.length) {
      new Chart(themes, {
        type: "bar",
        data: { labels: chart.terms, datasets: [{ label: "Mentions", data: chart.counts, backgroundColor: COLORS[1], borderRadius: 6 }] },
        options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    }
  }

  function renumber(list) {
    list.querySelectorAll(".ask-row").forEach(function (row, i) {
      var order = row.querySelector(".ask-order");
      if (order) order.value = String(i + 1);
    });
  }

  function askList() {
    var list = document.getElementById("ask-list");
    if (!list) return;
    list.addEventListener("click", function (event) {
      var button = event.target.closest(".ask-up, .ask-down");
      if (!button) return;
      var row = button.closest(".ask-row");
      if (button.classList.contains("ask-up") && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (button.classList.contains("ask-down") && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      }
      renumber(list);
      button.focus();
    });
    if (typeof Sortable !== "undefined") {
      Sortable.create(list, {
        animation: 150, filter: "input, button, label", preventOnFilter: false,
        onEnd: function () { renumber(list); },
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    companyChart();
    compareChart();
    insightsCharts();
    askList();
  });
})();
