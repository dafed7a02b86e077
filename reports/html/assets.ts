/**
 * The one asset the HTML reports inline: Chart.js (UMD build), read from node_modules once per
 * process, so every report opens offline with no CDN. Its source-map comment is dropped (the map
 * is not shipped, and a browser must not go looking for it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface HtmlAssets {
  /** Chart.js UMD source, defining `window.Chart` */
  chartJs: string;
}

let cached: HtmlAssets | undefined;

export function loadHtmlAssets(): HtmlAssets {
  if (cached) return cached;
  const main = createRequire(import.meta.url).resolve('chart.js');
  const source = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  cached = { chartJs: source.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n') };
  return cached;
}
