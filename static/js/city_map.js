/* One bubble map of cities over the outlines of their countries, from the offline atlas
 * (vendor/world-atlas): the dashboards' activity map and a practice's "where it spread" both
 * draw with it. `map` is the page's json_script data ({countries, cities: [{name, latitude,
 * longitude, …}]}); `look` says how a city is drawn: colour(city), value(city), sizes [min, max]
 * and label(city) for the tooltip; and, optionally, `look.markers`: other places drawn apart on
 * the same map ({items: [{latitude, longitude, label, …}], colour, style: a Chart.js point style,
 * radius}), such as the hazard events of the panel. The page's table says the same for screen
 * readers and no-JS. */
(function () {
  "use strict";

  window.OMCS = window.OMCS || {};
  window.OMCS.drawCityMap = function (canvas, map, look) {
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    fetch(canvas.dataset.atlas)
      .then(function (response) { return response.json(); })
      .then(function (atlas) {
        var wanted = new Set(map.countries);
        var outlines = ChartGeo.topojson.feature(atlas, atlas.objects.countries).features
          .filter(function (feature) { return wanted.has(feature.id); });
        var datasets = [{
          outline: outlines,
          showOutline: true,
          outlineBackgroundColor: "#eef2ef",
          outlineBorderColor: "#7a8a82",
          backgroundColor: function (context) {
            var city = map.cities[context.dataIndex];
            return city ? look.colour(city) : "#555";
          },
          borderColor: "#ffffff",
          data: map.cities.map(function (city) {
            return { latitude: city.latitude, longitude: city.longitude, value: look.value(city), city: city };
          })
        }];
        var markers = look.markers;
        if (markers && markers.items.length) {
          datasets.push({
            order: -1, // drawn last: over the dots of the same city
            outline: outlines,
            showOutline: false,
            pointStyle: markers.style,
            radius: markers.radius,
            hoverRadius: markers.radius + 2,
            backgroundColor: markers.colour,
            borderColor: "#ffffff",
            borderWidth: 1,
            data: markers.items.map(function (item) {
              return { latitude: item.latitude, longitude: item.longitude, value: 1, marker: item };
            })
          });
        }
        new Chart(canvas, {
          type: "bubbleMap",
          data: {
            labels: map.cities.map(function (city) { return city.name; }),
            datasets: datasets
          },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: reduceMotion ? false : undefined,
            plugins: {
              legend: { display: false },
              tooltip: { callbacks: { label: function (context) {
                return context.raw.marker ? context.raw.marker.label : look.label(context.raw.city);
              } } }
            },
            scales: {
              projection: { axis: "x", projection: "mercator" },
              size: { axis: "x", range: look.sizes, display: false }
            }
          }
        });
      })
      .catch(function () { canvas.hidden = true; });
  };
})();
