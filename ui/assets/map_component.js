// The regional map: draws a Plotly figure with the map-only plotly.js build and reports a clicked region.
// data: UTF-8 JSON bytes {figure: {data, layout}, config, src, label, error}; trigger value "region": an ISO code.
const LOADING = "__densaulyqPlotlyMap"; // the page may have started it already (server/preload.py)

function loadPlotly(src) {
  if (window.DensaulyqPlotly) return Promise.resolve(window.DensaulyqPlotly);
  if (!window[LOADING]) {
    window[LOADING] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL(src, document.baseURI).href;
      script.async = true;
      script.onload = () => (window.DensaulyqPlotly ? resolve(window.DensaulyqPlotly) : reject(new Error(src)));
      script.onerror = () => reject(new Error(src));
      document.head.appendChild(script);
    });
  }
  return window[LOADING].catch((err) => {
    window[LOADING] = undefined; // the next run of the page tries again
    throw err;
  });
}

function decode(data) {
  if (typeof data === "string") return JSON.parse(data);
  return JSON.parse(new TextDecoder().decode(data));
}

function themed(layout, element) {
  // The app's font and text colour, as Streamlit's own Plotly charts use them.
  const style = getComputedStyle(element);
  const font = style.getPropertyValue("--st-font").trim() || style.fontFamily;
  const colour = style.getPropertyValue("--st-text-color").trim() || style.color;
  const faded = style.getPropertyValue("--st-gray-color").trim() || colour;
  const legend = layout.legend || {};
  const title = legend.title || {};
  return {
    ...layout,
    font: { family: font, color: colour, ...(layout.font || {}) },
    legend: { ...legend, title: { ...title, font: { color: faded, ...(title.font || {}) } } },
    hoverlabel: { font: { family: font }, ...(layout.hoverlabel || {}) },
    paper_bgcolor: layout.paper_bgcolor || "rgba(0,0,0,0)",
  };
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  const spec = decode(data);
  let root = parentElement.querySelector("div.densaulyq-map");
  if (!root) {
    root = document.createElement("div");
    root.className = "densaulyq-map";
    root.setAttribute("role", "img");
    parentElement.appendChild(root);
  }
  root.setAttribute("aria-label", spec.label || "");
  root.style.width = "100%";
  root.style.minHeight = `${spec.figure.layout.height || 450}px`; // no jump when the figure arrives
  root.__densaulyqReport = setTriggerValue; // the newest one, for the click handler bound once below
  let gone = false;
  loadPlotly(spec.src)
    .then((Plotly) => {
      if (gone) return undefined;
      return Plotly.react(root, spec.figure.data, themed(spec.figure.layout, parentElement), spec.config).then(() => {
        if (root.__densaulyqBound) return;
        root.__densaulyqBound = true;
        root.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point && point.location) root.__densaulyqReport("region", point.location);
        });
      });
    })
    .catch(() => {
      root.textContent = spec.error || "The map could not be drawn.";
    });
  return () => {
    gone = true;
    if (window.DensaulyqPlotly) window.DensaulyqPlotly.purge(root); // its MapLibre map holds a WebGL context
    root.__densaulyqBound = false; // purge removed the click handler
  };
}
