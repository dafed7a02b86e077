/**
 * Per-region figures for a run whose spec has a topology: requests carry `client_region` and
 * `gateway_region` tags (scenarios/workload.ts) and, once answered, the `region` of the upstream
 * that served them. Per client region: latency percentiles, error rate, traffic share,
 * cross-region share (served by an upstream outside the gateway's region) and failovers
 * (requests the gateway answered after more than one upstream attempt) — over the whole run and
 * inside and outside the fault windows of the chaos log. Memory: one bucket per region-second.
 */
import type { Tags } from '../scenarios/samples.js';
import type { ChaosLog } from './chaos.js';
import { createHistogram, percentileMs, recordMs, type MsHistogram } from './histogram.js';
import { countOf, ratio, round } from './numbers.js';
import type { Summary } from './summary-schema.js';

/** client regions kept; the rest pool in "(other)" */
const MAX_REGIONS = 50;

interface Counts {
  requests: number;
  errors: number;
  /** requests whose answer names the region that served it */
  served: number;
  cross: number;
  failovers: number;
}

interface RegionAcc extends Counts {
  gateways: Map<string, number>;
  /** client regions seen (for a class: the one it is in) */
  clients: Map<string, number>;
  ttft: MsHistogram | null;
  e2e: MsHistogram | null;
  /** whole seconds since the series origin → counts */
  seconds: Map<number, Counts>;
}

export interface RegionsAcc {
  byClient: Map<string, RegionAcc>;
  /** the same per request class (a region's tenants can differ: one pinned, one free to move) */
  byClass: Map<string, RegionAcc>;
  /** fleet region → lab region; a region it does not place stands for itself */
  locate: (fleetRegion: string) => string | undefined;
}

export function createRegionsAcc(locate: (fleetRegion: string) => string | undefined = () => undefined): RegionsAcc {
  return { byClient: new Map(), byClass: new Map(), locate };
}

const zero = (): Counts => ({ requests: 0, errors: 0, served: 0, cross: 0, failovers: 0 });

function regionAcc(map: Map<string, RegionAcc>, key: string): RegionAcc {
  let r = map.get(key);
  if (r) return r;
  const name = map.size >= MAX_REGIONS ? '(other)' : key;
  r = map.get(name);
  if (!r) {
    r = { ...zero(), gateways: new Map(), clients: new Map(), ttft: null, e2e: null, seconds: new Map() };
    map.set(name, r);
  }
  return r;
}

function second(r: RegionAcc, s: number): Counts {
  let c = r.seconds.get(s);
  if (!c) {
    c = zero();
    r.seconds.set(s, c);
  }
  return c;
}

/** Fold one point of a request carrying a `client_region` tag; `sec` is its whole second since the series origin. */
export function recordRegionPoint(acc: RegionsAcc, metric: string, value: number, tags: Tags, sec: number): void {
  const client = tags.client_region;
  if (client === undefined) return;
  recordInto(acc, regionAcc(acc.byClient, client), client, metric, value, tags, sec);
  if (tags.class !== undefined) recordInto(acc, regionAcc(acc.byClass, tags.class), client, metric, value, tags, sec);
}

function recordInto(acc: RegionsAcc, r: RegionAcc, client: string, metric: string, value: number, tags: Tags, sec: number): void {
  switch (metric) {
    case 'http_reqs': {
      const s = second(r, sec);
      r.requests += value;
      s.requests += value;
      const gw = tags.gateway_region ?? client;
      r.gateways.set(gw, (r.gateways.get(gw) ?? 0) + value);
      r.clients.set(client, (r.clients.get(client) ?? 0) + value);
      if (tags.region) {
        const cross = (acc.locate(tags.region) ?? tags.region) !== gw ? value : 0;
        r.served += value;
        s.served += value;
        r.cross += cross;
        s.cross += cross;
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
        r.failovers++;
        second(r, sec).failovers++;
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

/** Fault windows from the chaos log, seconds since `originMs`: each start to its stop (or the end of the run). */
export function faultWindows(log: ChaosLog | null | undefined, originMs: number): Array<{ fromS: number; toS: number | null; fault: string; scope: string }> {
  if (!log) return [];
  const open = new Map<string, { fromS: number; fault: string; scope: string }>();
  const out: Array<{ fromS: number; toS: number | null; fault: string; scope: string }> = [];
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

function phase(c: Counts): { requests: number; errorRate: number | null; crossRegionShare: number | null; failovers: number } {
  return { requests: countOf(c.requests), errorRate: ratio(c.errors, c.requests), crossRegionShare: ratio(c.cross, c.served), failovers: c.failovers };
}

function add(into: Counts, c: Counts): void {
  into.requests += c.requests;
  into.errors += c.errors;
  into.served += c.served;
  into.cross += c.cross;
  into.failovers += c.failovers;
}

const p = (h: MsHistogram | null, q: number): number | null => (h ? percentileMs(h, q) : null);

/**
 * The summary's `regions` block; null when no request carried a client region. `offsetS` moves
 * the buckets' seconds onto the run's clock (0 when ingest counted from the run start).
 */
export function summarizeRegions(acc: RegionsAcc, windows: ReturnType<typeof faultWindows>, offsetS = 0): Summary['regions'] {
  if (acc.byClient.size === 0) return undefined;
  const total = [...acc.byClient.values()].reduce((n, r) => n + r.requests, 0);
  const inFault = (s: number): boolean => windows.some((w) => s + 1 > w.fromS && (w.toS === null || s < w.toS));
  const most = (m: Map<string, number>): string | null => [...m.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const rowsOf = (map: Map<string, RegionAcc>) =>
    [...map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, r]) => {
        const during = zero();
        const outside = zero();
        for (const [s, c] of r.seconds) add(inFault(s + offsetS) ? during : outside, c);
        return {
          clientRegion: most(r.clients) ?? key,
          gatewayRegion: most(r.gateways),
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
          failovers: r.failovers,
          duringFaults: windows.length > 0 ? phase(during) : null,
          outsideFaults: windows.length > 0 ? phase(outside) : null,
        };
      });
  const rows = rowsOf(acc.byClient);
  const classRows = rowsOf(acc.byClass);
  const classes = Object.fromEntries([...acc.byClass.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k, i) => [k, classRows[i]!]));
  return { faultWindows: windows, rows, classes };
}
