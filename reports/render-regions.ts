/**
 * Pure: the summary's `regions` block → the "Regions" section of summary.md and index.html. One
 * row per client region: the gateway it went to, traffic share, error rate, TTFT p50/p95/p99,
 * cross-region share and failovers, then error rate and cross-region share inside and outside
 * the fault windows, so an outage shows whose users it touched.
 */
import { fmtInt, fmtMs, fmtNum, fmtPct } from './format.js';
import { esc } from './html/page.js';
import { htmlTable, section } from './html/tables.js';
import type { Summary } from './summary-schema.js';

type Regions = NonNullable<Summary['regions']>;
type Phase = Regions['rows'][number]['duringFaults'];

const HEAD = [
  'client region', 'gateway', 'requests', 'share', 'errors', 'TTFT p50', 'TTFT p95', 'TTFT p99', 'cross-region', 'failovers',
];
const PHASE_HEAD = ['errors in faults', 'errors outside', 'cross-region in faults', 'cross-region outside'];

function phaseCells(during: Phase, outside: Phase): string[] {
  return [during?.errorRate, outside?.errorRate, during?.crossRegionShare, outside?.crossRegionShare].map((x) => fmtPct(x ?? null));
}

type Row = Regions['rows'][number];

function cells(x: Row, phases: boolean): string[] {
  return [
    x.gatewayRegion ?? '—',
    fmtInt(x.requests),
    fmtPct(x.share),
    `${fmtPct(x.errorRate)} (${fmtInt(x.errors)})`,
    fmtMs(x.ttft_p50_ms),
    fmtMs(x.ttft_p95_ms),
    fmtMs(x.ttft_p99_ms),
    fmtPct(x.crossRegionShare),
    fmtInt(x.failovers),
    ...(phases ? phaseCells(x.duringFaults, x.outsideFaults) : []),
  ];
}

/**
 * The table as plain text cells (no markup yet): one row per client region, or (`byClass`) per
 * request class with its client region — where one region's tenants are pinned and others not.
 */
export function regionTable(r: Regions, byClass = false): { head: string[]; rows: string[][] } {
  const phases = r.faultWindows.length > 0;
  const head = phases ? [...HEAD, ...PHASE_HEAD] : HEAD;
  if (!byClass) return { head, rows: r.rows.map((x) => [x.clientRegion, ...cells(x, phases)]) };
  const rows = Object.entries(r.classes).map(([name, x]) => [name, x.clientRegion, ...cells(x, phases)]);
  return { head: ['class', ...head], rows };
}

/** A class table adds something only when some region holds more than one class. */
function showClasses(r: Regions): boolean {
  return Object.keys(r.classes).length > r.rows.length;
}

/** "outage-refuse (provider=openai region=eu-west) 10–20 s" for each fault window. */
export function faultWindowText(r: Regions): string {
  if (r.faultWindows.length === 0) return 'No faults during the run.';
  const one = (w: Regions['faultWindows'][number]) =>
    `${w.fault} (${w.scope}) ${fmtNum(w.fromS)}–${w.toS === null ? 'end' : fmtNum(w.toS)} s`;
  return `Faults: ${r.faultWindows.map(one).join('; ')}.`;
}

const NOTE =
  'Cross-region: answers served by an upstream outside the gateway’s region. Failovers: answers served ' +
  'away from the region that usually serves that traffic. A request counts in the second it was due to start; ' +
  'latency includes the topology’s round trips.';

/** "eu-west: 8–16 s (41 requests)" for each row with failover spans; '' when none has any. */
export function failoverText(r: Regions): string {
  const rows: Array<[string, Row]> = [...r.rows.map((x): [string, Row] => [x.clientRegion, x]), ...Object.entries(r.classes)];
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const [name, x] of rows) {
    if (x.failoverSpans.length === 0 || seen.has(name)) continue;
    seen.add(name);
    const spans = x.failoverSpans.map((sp) => `${fmtNum(sp.fromS)}–${fmtNum(sp.toS)} s (${fmtInt(sp.requests)})`);
    parts.push(`${name} ${spans.join(', ')}`);
  }
  if (parts.length === 0) return 'No failover events.';
  return `Failover events (answers served away from the usual region): ${parts.join('; ')}.`;
}

function mdCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function mdTable({ head, rows }: { head: string[]; rows: string[][] }, left: number): string[] {
  const align = head.map((_, i) => (i < left ? '---' : '---:'));
  return [head, align, ...rows.map((r) => r.map(mdCell))].map((r) => `| ${r.join(' | ')} |`);
}

export function regionsMarkdown(s: Summary): string {
  if (!s.regions) return '';
  const byClass = showClasses(s.regions) ? ['', '#### By class', '', ...mdTable(regionTable(s.regions, true), 3)] : [];
  const note = `${mdCell(faultWindowText(s.regions))} ${mdCell(failoverText(s.regions))} ${NOTE}`;
  return ['### Regions', '', ...mdTable(regionTable(s.regions), 2), ...byClass, '', note].join('\n');
}

export function regionsHtml(s: Summary): string {
  if (!s.regions) return '';
  const table = (t: { head: string[]; rows: string[][] }, left: number[]) =>
    htmlTable(t.head.map(esc), t.rows.map((r) => r.map(esc)), left);
  const byClass = showClasses(s.regions) ? `<h3>By class</h3>\n${table(regionTable(s.regions, true), [0, 1, 2])}` : '';
  const note = `<p class="note">${esc(faultWindowText(s.regions))} ${esc(failoverText(s.regions))} ${esc(NOTE)}</p>`;
  return section('Regions', table(regionTable(s.regions), [0, 1]), byClass, note);
}
