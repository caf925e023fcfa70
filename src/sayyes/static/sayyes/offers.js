// The offer comparison chart: one stacked bar per offer and year, split into the parts of
// pay. Amounts arrive as exact decimal strings; they become numbers here, only to draw.
(function () {
  "use strict";

  var PARTS = [
    ["base", "Base", "#0f766e"],
    ["bonus", "Bonus", "#14b8a6"],
    ["sign_on", "Sign-on", "#f59e0b"],
    ["equity", "Equity", "#6366f1"],
    ["other", "Other", "#94a3b8"],
  ];

  function initCompareChart() {
    var canvas = document.getElementById("compare-chart");
    var source = document.getElementById("compare-data");
    if (!canvas || !source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data) return;
    var datasets = [];
    data.offers.forEach(function (offer, index) {
      PARTS.forEach(function (part) {
        datasets.push({
          label: offer.name + " — " + part[1],
          part: part[1],
          first: index === 0,
          stack: "offer-" + index,
          data: offer.parts[part[0]].map(Number),
          backgroundColor: part[2],
          borderColor: "#ffffff",
          borderWidth: 1,
        });
      });
    });
    var chart = new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: {
            labels: {
              // One legend entry per part of pay; each bar's tooltip names its offer.
              filter: function (item, chartData) { return chartData.datasets[item.datasetIndex].first; },
              generateLabels: function (c) {
                return Chart.defaults.plugins.legend.labels.generateLabels(c).map(function (l) {
                  l.text = c.data.datasets[l.datasetIndex].part;
                  return l;
                });
              },
            },
            onClick: null,
          },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + ctx.parsed.y.toLocaleString() + " " + data.currency;
              },
            },
          },
        },
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: data.currency } },
        },
      },
    });
    canvas.dataset.drawn = String(chart.data.datasets.length);
  }

  document.addEventListener("DOMContentLoaded", initCompareChart);
})();
