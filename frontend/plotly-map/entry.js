// plotly.js core with the one trace the regional map draws (MapLibre choropleth). The full bundle (4.7 MB) takes
// about a second of a first visit's main thread to evaluate; this one is the map's share of it.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/choroplethmap')]);

module.exports = Plotly;
