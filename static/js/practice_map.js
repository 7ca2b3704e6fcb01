/* Draws where a practice spread: its own city and the cities that replicate it, over the
 * outlines of their countries, from the offline atlas (as dashboard.js draws the activity map).
 * The data comes from <script type="application/json" id="practice-map-data"> (json_script);
 * the table of replications on the page says the same for screen readers and without JS. */
(function () {
  "use strict";

  var element = document.getElementById("practice-map-data");
  var canvas = document.getElementById("practice-map");
  if (!element || !canvas || !window.Chart || !window.ChartGeo) { return; }
  var map = JSON.parse(element.textContent);
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  // The legend's colours: Bootstrap's primary for the practice's city, the dashboards' green for the others.
  var colours = { origin: "#0d6efd", replication: "#1b7f3a" };

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";

  fetch(canvas.dataset.atlas)
    .then(function (response) { return response.json(); })
    .then(function (atlas) {
      var wanted = new Set(map.countries);
      var outlines = ChartGeo.topojson.feature(atlas, atlas.objects.countries).features
        .filter(function (feature) { return wanted.has(feature.id); });
      new Chart(canvas, {
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
              return city ? colours[city.role] : "#555";
            },
            borderColor: "#ffffff",
            data: map.cities.map(function (city) {
              return { latitude: city.latitude, longitude: city.longitude, value: city.role === "origin" ? 2 : 1, city: city };
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
                  var text = city.name + ", " + city.country + ": " + map.legend[city.role];
                  return city.state ? text + " (" + city.state + ")" : text;
                }
              }
            }
          },
          scales: {
            projection: { axis: "x", projection: "mercator" },
            size: { axis: "x", range: [6, 12], display: false }
          }
        }
      });
    })
    .catch(function () { canvas.hidden = true; });
})();
