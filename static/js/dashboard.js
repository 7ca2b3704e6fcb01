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
    barChart("chart-funds", charts.funds, { stacked: true });
  }
  var cityChart = data("city-chart-data");
  if (cityChart) { barChart("chart-city-actions", cityChart, { stacked: true }); }

  var map = data("map-data");
  var mapCanvas = document.getElementById("city-map");
  if (map && mapCanvas && window.ChartGeo) {
    fetch(mapCanvas.dataset.atlas)
      .then(function (response) { return response.json(); })
      .then(function (atlas) {
        var wanted = new Set(map.countries);
        var outlines = ChartGeo.topojson.feature(atlas, atlas.objects.countries).features
          .filter(function (feature) { return wanted.has(feature.id); });
        var colours = { active: "#1b7f3a", quiet: "#b35c00", none: "#b3261e" };
        new Chart(mapCanvas, {
          type: "bubbleMap",
          data: {
            labels: map.cities.map(function (city) { return city.name; }),
            datasets: [{
              outline: outlines,
              showOutline: true,
              outlineBackgroundColor: "#eef2ef",
              outlineBorderColor: "#7a8a82",
              backgroundColor: function (context) {
                var city = map.cities[context.dataIndex];
                return city ? colours[city.activity] : "#555";
              },
              borderColor: "#ffffff",
              data: map.cities.map(function (city) {
                return { latitude: city.latitude, longitude: city.longitude, value: Math.max(1, city.approved), city: city };
              })
            }]
          },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: reduceMotion ? false : undefined,
            plugins: {
              legend: { display: false },
              tooltip: {
                callbacks: {
                  label: function (context) {
                    var city = context.raw.city;
                    return city.name + ": " + city.approved + " " + map.approved_label + " · " + map.legend[city.activity];
                  }
                }
              }
            },
            scales: {
              projection: { axis: "x", projection: "mercator" },
              size: { axis: "x", range: [4, 18], display: false }
            }
          }
        });
      })
      .catch(function () { mapCanvas.hidden = true; });
  }
})();
