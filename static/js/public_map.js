/* The public pages' map (city_map.js): a city and the other cities of its actions, or the cities
 * with a public page sized by their approved actions. The data comes from
 * <script type="application/json" id="public-map-data"> (json_script); the page's list or table
 * says the same for screen readers and without JS. */
(function () {
  "use strict";

  var element = document.getElementById("public-map-data");
  var canvas = document.getElementById("public-map");
  if (!element || !canvas || !window.Chart || !window.ChartGeo || !window.OMCS) { return; }
  var map = JSON.parse(element.textContent);
  // Bootstrap's primary for the page's city, the dashboards' green for the others.
  var colours = { city: "#0d6efd", involved: "#1b7f3a" };

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";

  window.OMCS.drawCityMap(canvas, map, {
    colour: function (city) { return colours[city.role]; },
    value: function (city) { return city.approved === undefined ? (city.role === "city" ? 2 : 1) : Math.max(1, city.approved); },
    sizes: map.approved_label ? [5, 18] : [6, 12],
    label: function (city) {
      var text = city.name + ", " + city.country;
      return city.approved === undefined ? text : text + ": " + city.approved + " " + map.approved_label;
    }
  });
})();
