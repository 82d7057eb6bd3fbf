// Builds ../../share/static/plotly-map.min.js: `npm ci && npm run build` (see README.md here).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const plotlyVersion = require('plotly.js/package.json').version;
const maplibreVersion = require('maplibre-gl/package.json').version;

// plotly.js requires MapLibre's stylesheet; put it in the page the way plotly.js's own bundles do.
const injectCss = {
  name: 'inject-css',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => ({
      contents: `if (typeof document !== 'undefined') { var s = document.createElement('style');
        s.textContent = ${JSON.stringify(await readFile(args.path, 'utf8'))}; document.head.appendChild(s); }`,
      loader: 'js',
    }));
  },
};

await esbuild.build({
  entryPoints: ['entry.js'],
  outfile: '../../share/static/plotly-map.min.js',
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'DensaulyqPlotly',
  target: 'es2018',
  define: { global: 'window' },
  plugins: [injectCss],
  legalComments: 'eof',
  banner: {
    js: `/* plotly.js v${plotlyVersion} (MIT, Plotly, Inc.) with only the choroplethmap trace, and MapLibre GL JS `
      + `v${maplibreVersion} (BSD-3-Clause, MapLibre contributors). Built by frontend/plotly-map/build.mjs. */`,
  },
});
