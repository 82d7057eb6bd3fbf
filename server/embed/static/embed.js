// Draws the figure of an embeddable view with the locally served plotly.js and fits it to the frame's width:
// the map zooms with the width (MapLibre zoom is logarithmic) and, on a phone, the legend moves below the map.
(function () {
  "use strict";
  var el = document.getElementById("figure");
  var fig = JSON.parse(document.getElementById("figure-data").textContent);
  var BASE_WIDTH = 940; // the map page's map width the figure's zoom is set for
  var NARROW = 900; // below this the legend goes under the map (beside it, it would cover the east)

  function layoutFor(width) {
    var layout = Object.assign({}, fig.layout, { autosize: true });
    delete layout.width;
    var narrow = width < NARROW;
    if (layout.map) {
      var zoom = narrow ? Math.log2(width * 360 / (512 * 44)) : layout.map.zoom + Math.log2(width / BASE_WIDTH);
      layout.map = Object.assign({}, layout.map, { zoom: zoom });
      layout.height = Math.round(Math.min(560, Math.max(240, width * (narrow ? 0.62 : 0.6))));
    } else {
      layout.height = Math.round(Math.min(420, Math.max(260, width * 0.62)));
    }
    if (narrow) {
      var title = Object.assign({}, (layout.legend || {}).title, { side: "top" });
      var below = { orientation: "h", x: 0, xanchor: "left", y: -0.02, yanchor: "top" };
      var above = { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom" }; // clear of the x axis
      layout.legend = Object.assign({}, layout.legend, layout.map ? below : above, { font: { size: 11 }, title: title });
      layout.annotations = (layout.annotations || []).map(function (a) {
        // the long credit line wraps after its first comma instead of running off a phone's screen
        return Object.assign({}, a, { text: String(a.text).replace(", ", ",<br>"), font: { size: 10 } });
      });
      if (layout.showlegend !== false) layout.height += layout.map ? 150 : 60; // room for the legend
      if (layout.map) layout.margin = Object.assign({}, layout.margin, { b: 10 });
    }
    return layout;
  }

  var plotly = window.Plotly || window.DensaulyqPlotly; // the map-only build on maps (server/embed/assets.py)
  var config = { displayModeBar: false, scrollZoom: false, responsive: true };
  var lastNarrow = null;
  function draw() {
    var width = el.clientWidth || window.innerWidth;
    var narrow = width < NARROW;
    if (lastNarrow === null) {
      plotly.newPlot(el, fig.data, layoutFor(width), config);
    } else {
      plotly.react(el, fig.data, layoutFor(width), config);
    }
    lastNarrow = narrow;
  }
  // The frame's height follows the page's: the snippet of the share box (ui/open_data.py) listens for this
  // message and sets the height of the iframe it came from, so the source line and the link back are never cut.
  function postHeight() {
    if (window.parent === window) return;
    var height = Math.ceil(document.documentElement.scrollHeight);
    window.parent.postMessage({ type: "densaulyq-embed-height", height: height }, "*");
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { draw(); postHeight(); }, 150);
  });
  draw();
  postHeight();
  if (window.ResizeObserver) new ResizeObserver(postHeight).observe(document.body);
})();
