/**
 * Per-region figures for a run whose spec has a topology: requests carry `client_region` and
 * `gateway_region` tags (scenarios/workload.ts) and, once answered, the `region` of the upstream
 * that served them. Per client region (and per request class): latency percentiles, error rate,
 * traffic share, cross-region share (served by an upstream outside the gateway's region) and
 * failovers — answers served away from the lab region that usually serves this traffic, and the
 * spans of the run in which that happened — over the whole run and inside and outside the fault
 * windows of the chaos log. A request counts in the second it was due to start. Memory: one
 * bucket per row and second.
 */
import type { Tags } from '../scenarios/samples.js';
import type { ChaosLog } from './chaos.js';
import { createHistogram, percentileMs, recordMs, type MsHistogram } from './histogram.js';
import { countOf, ratio, round } from './numbers.js';
import type { Summary } from './summary-schema.js';

/** rows kept per table; the rest pool in "(other)" */
const MAX_ROWS = 50;
/** failover seconds this close together are one span */
const SPAN_GAP_S = 2;

interface Counts {
  requests: number;
  errors: number;
  /** requests whose answer names the region that served it */
  served: number;
  cross: number;
  /** answered after more than one upstream attempt */
  retried: number;
  /** answers by serving lab region */
  servedIn: Map<string, number>;
}

interface RowAcc extends Counts {
  gateways: Map<string, number>;
  /** client regions seen (for a class: the one it is in) */
  clients: Map<string, number>;
  ttft: MsHistogram | null;
  e2e: MsHistogram | null;
  /** whole seconds since the series origin → counts */
  seconds: Map<number, Counts>;
}

export interface RegionsAcc {
  byClient: Map<string, RowAcc>;
  /** the same per request class (a region's tenants can differ: one pinned, one free to move) */
  byClass: Map<string, RowAcc>;
  /** fleet region → lab region; a region it does not place stands for itself */
  locate: (fleetRegion: string) => string | undefined;
}

export function createRegionsAcc(locate: (fleetRegion: string) => string | undefined = () => undefined): RegionsAcc {
  return { byClient: new Map(), byClass: new Map(), locate };
}

const zero = (): Counts => ({ requests: 0, errors: 0, served: 0, cross: 0, retried: 0, servedIn: new Map() });

function rowAcc(map: Map<string, RowAcc>, key: string): RowAcc {
  let r = map.get(key);
  if (r) return r;
  const name = map.size >= MAX_ROWS ? '(other)' : key;
  r = map.get(name);
  if (!r) {
    r = { ...zero(), gateways: new Map(), clients: new Map(), ttft: null, e2e: null, seconds: new Map() };
    map.set(name, r);
  }
  return r;
}

function second(r: RowAcc, s: number): Counts {
  let c = r.seconds.get(s);
  if (!c) {
    c = zero();
    r.seconds.set(s, c);
  }
  return c;
}

const bump = (m: Map<string, number>, k: string, by: number): void => void m.set(k, (m.get(k) ?? 0) + by);

/** Fold one point of a request carrying a `client_region` tag; `sec` is its whole second since the series origin. */
export function recordRegionPoint(acc: RegionsAcc, metric: string, value: number, tags: Tags, sec: number): void {
  const client = tags.client_region;
  if (client === undefined) return;
  recordInto(acc, rowAcc(acc.byClient, client), client, metric, value, tags, sec);
  if (tags.class !== undefined) recordInto(acc, rowAcc(acc.byClass, tags.class), client, metric, value, tags, sec);
}

function recordInto(acc: RegionsAcc, r: RowAcc, client: string, metric: string, value: number, tags: Tags, sec: number) {
  switch (metric) {
    case 'http_reqs': {
      const s = second(r, sec);
      r.requests += value;
      s.requests += value;
      const gw = tags.gateway_region ?? client;
      bump(r.gateways, gw, value);
      bump(r.clients, client, value);
      if (tags.region) {
        const at = acc.locate(tags.region) ?? tags.region;
        const cross = at !== gw ? value : 0;
        for (const c of [r, s]) {
          c.served += value;
          c.cross += cross;
          bump(c.servedIn, at, value);
        }
      }
      break;
    }
    case 'http_req_failed':
      if (value !== 0) {
        r.errors++;
        second(r, sec).errors++;
      }
      break;
    case 'attempts':
      if (value > 1) {
        r.retried++;
        second(r, sec).retried++;
      }
      break;
    case 'ttft':
      recordMs((r.ttft ??= createHistogram()), value);
      break;
    case 'e2e':
      recordMs((r.e2e ??= createHistogram()), value);
      break;
  }
}

export type FaultWindow = { fromS: number; toS: number | null; fault: string; scope: string };

/** Fault windows from the chaos log, seconds since `originMs`: each start to its stop (or the end of the run). */
export function faultWindows(log: ChaosLog | null | undefined, originMs: number): FaultWindow[] {
  if (!log) return [];
  const open = new Map<string, { fromS: number; fault: string; scope: string }>();
  const out: FaultWindow[] = [];
  for (const e of log.events) {
    const t = round((e.timeMs - originMs) / 1000, 3);
    if (e.event === 'start') open.set(e.id, { fromS: t, fault: e.fault, scope: e.scope });
    else {
      const o = open.get(e.id);
      if (o) out.push({ ...o, toS: t });
      open.delete(e.id);
    }
  }
  for (const o of open.values()) out.push({ ...o, toS: null });
  return out.sort((a, b) => a.fromS - b.fromS);
}

/** The lab region that served most of a row's answers: its usual one. */
function usual(servedIn: Map<string, number>): string | null {
  return [...servedIn.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
}

/** Answers served away from `home`. */
function away(c: Counts, home: string | null): number {
  return home === null ? 0 : c.served - (c.servedIn.get(home) ?? 0);
}

function phase(c: Counts, home: string | null) {
  return {
    requests: countOf(c.requests),
    errorRate: ratio(c.errors, c.requests),
    crossRegionShare: ratio(c.cross, c.served),
    failovers: away(c, home),
  };
}

function add(into: Counts, c: Counts): void {
  into.requests += c.requests;
  into.errors += c.errors;
  into.served += c.served;
  into.cross += c.cross;
  into.retried += c.retried;
  for (const [k, v] of c.servedIn) bump(into.servedIn, k, v);
}

/** Spans of seconds (on the run's clock) with answers served away from `home`, merged across short gaps. */
function spans(seconds: Map<number, Counts>, home: string | null, offsetS: number) {
  const out: Array<{ fromS: number; toS: number; requests: number }> = [];
  for (const s of [...seconds.keys()].sort((a, b) => a - b)) {
    const n = away(seconds.get(s) as Counts, home);
    if (n === 0) continue;
    const t = round(s + offsetS, 3);
    const last = out[out.length - 1];
    if (last && t - last.toS <= SPAN_GAP_S) {
      last.toS = t + 1;
      last.requests += n;
    } else out.push({ fromS: t, toS: t + 1, requests: n });
  }
  return out;
}

const p = (h: MsHistogram | null, q: number): number | null => (h ? percentileMs(h, q) : null);
const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);
const most = (m: Map<string, number>): string | null => [...m.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;

/**
 * The summary's `regions` block; undefined when no request carried a client region. `offsetS`
 * moves the buckets' seconds onto the run's clock (0 when ingest counted from the run start).
 */
export function summarizeRegions(acc: RegionsAcc, windows: FaultWindow[], offsetS = 0): Summary['regions'] {
  if (acc.byClient.size === 0) return undefined;
  const total = [...acc.byClient.values()].reduce((n, r) => n + r.requests, 0);
  const inFault = (s: number): boolean => windows.some((w) => s + 1 > w.fromS && (w.toS === null || s < w.toS));
  const row = (key: string, r: RowAcc) => {
    const during = zero();
    const outside = zero();
    for (const [s, c] of r.seconds) add(inFault(s + offsetS) ? during : outside, c);
    const home = usual(r.servedIn);
    return {
      clientRegion: most(r.clients) ?? key,
      gatewayRegion: most(r.gateways),
      servedFrom: home,
      requests: countOf(r.requests),
      share: ratio(r.requests, total),
      errors: r.errors,
      errorRate: ratio(r.errors, r.requests),
      ttft_p50_ms: p(r.ttft, 50),
      ttft_p95_ms: p(r.ttft, 95),
      ttft_p99_ms: p(r.ttft, 99),
      e2e_p50_ms: p(r.e2e, 50),
      e2e_p99_ms: p(r.e2e, 99),
      crossRegionShare: ratio(r.cross, r.served),
      failovers: away(r, home),
      failoverSpans: spans(r.seconds, home, offsetS),
      retried: r.retried,
      duringFaults: windows.length > 0 ? phase(during, home) : null,
      outsideFaults: windows.length > 0 ? phase(outside, home) : null,
    };
  };
  const rows = [...acc.byClient.entries()].sort(byName).map(([k, r]) => row(k, r));
  const classes = Object.fromEntries([...acc.byClass.entries()].sort(byName).map(([k, r]) => [k, row(k, r)]));
  return { faultWindows: windows, rows, classes };
}
