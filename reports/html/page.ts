/**
 * Pure: the shell of a self-contained HTML report — styles, the inlined Chart.js, the report's
 * data as JSON, and the small client script that turns chart specs into charts.
 */
import { CLIENT_JS } from './client.js';
import type { ChartSpec } from './chart-spec.js';
import type { HtmlAssets } from './assets.js';

/** Text for HTML content and attribute values. */
export function esc(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`, no JS line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline JS must not close its element early. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#fff; --card:#f6f8fa; --bad:#cf222e; --good:#1a7f37; --warn:#9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.meta, .note { color: var(--muted); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 16px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.card .v { font-size: 20px; font-weight: 600; } .card .k { color: var(--muted); font-size: 12px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px; }
.chart { position: relative; height: 300px; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.chart.tall { height: 360px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: right; white-space: nowrap; }
th { background: var(--card); } td.l, th.l { text-align: left; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--card); padding: 1px 4px; border-radius: 4px; }
.bad { color: var(--bad); } .good { color: var(--good); } .warn { color: var(--warn); }
.empty { color: var(--muted); font-style: italic; }
.scroll { overflow-x: auto; }
`;

export interface PageInput {
  title: string;
  /** the page content (already escaped HTML) */
  body: string;
  charts: ChartSpec[];
  assets: HtmlAssets;
}

export function renderPage(p: PageInput): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(p.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<main>${p.body}</main>`,
    `<script>${scriptText(p.assets.chartJs)}</script>`,
    `<script type="application/json" id="stormlab-charts">${scriptJson(p.charts)}</script>`,
    `<script>${scriptText(CLIENT_JS)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
