/* Draws where a practice spread: its own city and the cities that replicate it (city_map.js).
 * The data comes from <script type="application/json" id="practice-map-data"> (json_script);
 * the table of replications on the page says the same for screen readers and without JS. */
(function () {
  "use strict";

  var element = document.getElementById("practice-map-data");
  var canvas = document.getElementById("practice-map");
  if (!element || !canvas || !window.Chart || !window.ChartGeo || !window.OMCS) { return; }
  var map = JSON.parse(element.textContent);
  // The legend's colours: Bootstrap's primary for the practice's city, the dashboards' green for the others.
  var colours = { origin: "#0d6efd", replication: "#1b7f3a" };

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";

  window.OMCS.drawCityMap(canvas, map, {
    colour: function (city) { return colours[city.role]; },
    value: function (city) { return city.role === "origin" ? 2 : 1; },
    sizes: [6, 12],
    label: function (city) {
      var text = city.name + ", " + city.country + ": " + map.legend[city.role];
      return city.state ? text + " (" + city.state + ")" : text;
    }
  });
})();
