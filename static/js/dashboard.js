/* Draws the dashboards' charts and map from the JSON the page embeds (json_script).
 * No inline script: the page's data lives in <script type="application/json"> elements.
 * Every chart has a table with the same figures on the page, for screen readers and no-JS. */
(function () {
  "use strict";

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (window.Chart) {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#212529";
    if (reduceMotion) { Chart.defaults.animation = false; }
  }

  function barChart(canvasId, chartData, options) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !chartData || !window.Chart) { return; }
    var palette = ["#145c43", "#1f5fa8", "#8a4b08", "#6f42c1"];
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chartData.labels,
        datasets: chartData.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: dataset.color || palette[index % palette.length]
          };
        })
      },
      options: Object.assign({
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: !!options.stacked }, y: { stacked: !!options.stacked, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: chartData.datasets.length > 1 } }
      }, options.extra || {})
    });
  }

  var charts = data("charts-data");
  if (charts) {
    barChart("chart-actions", charts.actions, { stacked: true });
    barChart("chart-people", charts.people, {});
    // Money per stage in USD: exact decimals sent as strings ("600.00"), which Chart.js reads as numbers.
    barChart("chart-funds", charts.funds, { stacked: true });
  }
  var cityChart = data("city-chart-data");
  if (cityChart) { barChart("chart-city-actions", cityChart, { stacked: true }); }

  var map = data("map-data");
  var mapCanvas = document.getElementById("city-map");
  if (map && mapCanvas && window.ChartGeo && window.OMCS) {
    // The page sends the cities as columns (reports.dashboards.map_data); the map draws objects.
    var columns = map.cities;
    map.cities = columns.name.map(function (name, index) {
      return {
        name: name,
        latitude: columns.latitude[index],
        longitude: columns.longitude[index],
        approved: columns.approved[index],
        activity: columns.activity[index]
      };
    });
    var colours = { active: "#1b7f3a", quiet: "#b35c00", none: "#b3261e" };
    window.OMCS.drawCityMap(mapCanvas, map, {
      colour: function (city) { return colours[city.activity]; },
      value: function (city) { return Math.max(1, city.approved); },
      sizes: [4, 18],
      label: function (city) {
        return city.name + ": " + city.approved + " " + map.approved_label + " · " + map.legend[city.activity];
      },
      // The cities hit by hazard events in the period: purple triangles over the activity dots.
      markers: { items: map.hazards || [], colour: "#5b2a86", style: "triangle", radius: 9 }
    });
  }
})();
