/* Draws the dashboard's charts with the vendored Chart.js from the page's JSON block
 * (#pb-dashboard-data). No network: system fonts only, no animation (drawn at once, printable). */
(function () {
  "use strict";

  var source = document.getElementById("pb-dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var payload = JSON.parse(source.textContent);
  var charts = payload.charts;
  var text = payload.text;

  // Colour-blind friendly palette (Okabe–Ito, then Tableau 10 for more types).
  var PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
    "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#BAB0AC"
  ];
  var MEMBER_COLOURS = {
    full: "#C8102E",
    probationary: "#F0A202",
    transferred: "#6C757D",
    suspended: "#343A40",
    deceased: "#ADB5BD"
  };

  Chart.defaults.font.family =
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", ' +
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function colour(index) {
    return PALETTE[index % PALETTE.length];
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
    }
  }

  var integerTicks = { precision: 0 };

  draw("pb-chart-activities", {
    type: "bar",
    data: {
      labels: charts.activities.labels,
      datasets: charts.activities.datasets.map(function (dataset, index) {
        return { label: dataset.label, data: dataset.data, backgroundColor: colour(index) };
      })
    },
    options: {
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: integerTicks, title: { display: true, text: text.activities } }
      }
    }
  });

  draw("pb-chart-served", {
    type: "line",
    data: {
      labels: charts.served.labels,
      datasets: charts.served.datasets.map(function (dataset) {
        return {
          label: dataset.label,
          data: dataset.data,
          borderColor: "#C8102E",
          backgroundColor: "rgba(200, 16, 46, 0.15)",
          fill: true,
          tension: 0.25
        };
      })
    },
    options: {
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: integerTicks, title: { display: true, text: text.people } } }
    }
  });

  draw("pb-chart-members", {
    type: "doughnut",
    data: {
      labels: charts.members.labels,
      datasets: charts.members.datasets.map(function (dataset) {
        return {
          label: dataset.label,
          data: dataset.data,
          backgroundColor: charts.members.codes.map(function (code, index) {
            return MEMBER_COLOURS[code] || colour(index);
          })
        };
      })
    },
    options: { plugins: { legend: { position: "right" } } }
  });

  draw("pb-chart-brands", {
    type: "bar",
    data: {
      labels: charts.brands.labels,
      datasets: charts.brands.datasets.map(function (dataset) {
        return { label: dataset.label, data: dataset.data, backgroundColor: "#0072B2" };
      })
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: integerTicks, title: { display: true, text: text.activities } } }
    }
  });
})();
