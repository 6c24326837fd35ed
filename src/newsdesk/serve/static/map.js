/* The map of merged events: outlines of the countries on a plain background (no tile server
 * unless the desk was given one), one marker per merged event from /events.geojson, coloured
 * by type, sized by independent sources, clustered. Every string from the data is set as
 * text (textContent), never as HTML. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) {
    return;
  }
  var COLOURS = {
    ASSAULT: "#c0392b", COERCE: "#d35400", THREATEN: "#e67e22", PROTEST: "#f1c40f",
    MOBILIZE: "#8e44ad", RETREAT: "#7f8c8d", ACCUSE: "#a04000", REJECT: "#6c3483",
    SANCTION: "#b03a2e", REQUEST: "#2874a6", CONSULT: "#2e86c1", AGREE: "#229954",
    SUPPORT: "#27ae60", AID: "#16a085", COOPERATE: "#138d75", CONCEDE: "#5d6d7e"
  };
  var OTHER = "#34495e";

  function colour(type) {
    return Object.prototype.hasOwnProperty.call(COLOURS, type) ? COLOURS[type] : OTHER;
  }

  function radius(sources) {
    var n = Number(sources) || 1;
    return 6 + 4 * Math.sqrt(Math.max(0, n - 1));
  }

  var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([15, 20], 2);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
  }

  fetch(el.dataset.outlines, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (outlines) {
      var layer = L.geoJSON(outlines, {
        interactive: false,
        style: { color: "#9aa7b6", weight: 0.6, fillColor: "#eef1f5", fillOpacity: 1 }
      }).addTo(map);
      layer.bringToBack();
    })
    .catch(function () { el.dataset.outlinesFailed = "1"; });

  var card = document.getElementById("card");
  var items = document.getElementById("marker-items");

  function add(parent, tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    parent.appendChild(node);
    return node;
  }

  function list(value) {
    return Array.isArray(value) ? value.join(", ") : "";
  }

  function showCard(feature) {
    var p = feature.properties;
    card.textContent = "";
    var title = add(card, "h2", null, "card-title");
    add(title, "span", p.type, "type");
    add(title, "span", " " + p.status + (p.date ? ", " + p.date : ""));
    var facts = add(card, "dl", null, "facts");
    add(facts, "dt", "Who");
    add(facts, "dd", list(p.source) + (p.target && p.target.length ? " → " + list(p.target) : "") || "not said");
    add(facts, "dt", "Where");
    add(facts, "dd", (p.place || "not placed") + (p.country ? " (" + p.country + ")" : ""));
    add(facts, "dt", "Reports");
    add(facts, "dd", p.reports + " mention(s), " + p.sources + " independent source(s)");
    if (p.fatalities !== null && p.fatalities !== undefined) {
      add(facts, "dt", "Dead (highest report)");
      add(facts, "dd", p.fatalities);
    }
    add(card, "blockquote", p.evidence, "evidence");
    var links = add(card, "p", null, "card-links");
    var open = add(links, "a", "Its reports and evidence");
    open.href = "/events/" + encodeURIComponent(p.id);
    (p.stories || []).forEach(function (story) {
      add(links, "span", " · ");
      var link = add(links, "a", "Open its story", "story-link");
      link.href = "/stories/" + encodeURIComponent(story);
    });
    card.focus();
  }

  // Chunked: a store of many thousand events is clustered without freezing the page.
  var cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true
  });
  var markers = [];
  var seenTypes = {};

  fetch(el.dataset.events, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("the events could not be read: " + response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var bounds = [];
      collection.features.forEach(function (feature) {
        if (!feature.geometry || feature.geometry.type !== "Point") {
          return;
        }
        var lon = feature.geometry.coordinates[0];
        var lat = feature.geometry.coordinates[1];
        var p = feature.properties;
        var marker = L.circleMarker([lat, lon], {
          radius: radius(p.sources),
          fillColor: colour(p.type),
          color: "#1b1b1b",
          weight: 1,
          fillOpacity: 0.85,
          className: "event-marker"
        });
        marker.on("click", function () { showCard(feature); });
        markers.push(marker);
        bounds.push([lat, lon]);
        seenTypes[p.type] = true;
        var item = add(items, "li");
        var button = add(item, "button", p.type + " · " + (p.date || "undated") + " · " + (p.place || ""));
        button.type = "button";
        // The card at once: zoomToShowLayer never calls back for a marker that shares its
        // spot with others (a town's events all stand on its point).
        button.addEventListener("click", function () {
          showCard(feature);
          cluster.zoomToShowLayer(marker, function () {});
        });
      });
      // Framed before the markers are added, without animation: the clusters are laid out
      // once, for the view the reader sees.
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6, animate: false });
      }
      map.addLayer(cluster);
      cluster.addLayers(markers);
      var legend = document.getElementById("legend");
      Object.keys(seenTypes).sort().forEach(function (type) {
        var entry = add(legend, "span", null, "legend-entry");
        var swatch = add(entry, "span", null, "legend-swatch");
        swatch.style.backgroundColor = colour(type);
        add(entry, "span", " " + type);
      });
      el.dataset.markers = String(bounds.length);
    })
    .catch(function (error) {
      el.dataset.markers = "error";
      add(card, "p", String(error.message || error), "error");
    });
})();
