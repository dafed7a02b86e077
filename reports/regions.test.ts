import { describe, expect, it } from 'vitest';
import { pointLine, type Tags } from '../scenarios/samples.js';
import type { ChaosLog } from './chaos.js';
import { ingestSamples } from './ingest.js';
import { renderHtml } from './html/render-report.js';
import { renderMarkdown } from './render-markdown.js';
import { regionsHtml, regionsMarkdown, regionTable } from './render-regions.js';
import { summarize } from './summarize.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const WHERE: Record<string, string> = { westeurope: 'eu-west', eastus: 'us-east' };

/** One request's points, as the native driver writes them. */
function request(at: number, tags: Tags, o: { ttft: number; failed?: boolean; attempts?: number; region?: string }): string[] {
  const t: Tags = { ...tags, status: o.failed ? '502' : '200', ...(o.region ? { region: o.region } : {}) };
  const lines = [pointLine('http_reqs', 1, t, at), pointLine('http_req_failed', o.failed ? 1 : 0, t, at)];
  if (!o.failed) lines.push(pointLine('ttft', o.ttft, t, at), pointLine('e2e', o.ttft + 100, t, at));
  if (o.region) lines.push(pointLine('attempts', o.attempts ?? 1, t, at));
  return lines;
}

/**
 * 20 s, a request per region per 100 ms; eu-west's primary (openai/eu-west) is down from 10 s to
 * 15 s: its first request then fails, the rest fail over to us-east (cross-region, 2 attempts).
 */
function run(): string[] {
  const lines: string[] = [];
  for (let ms = 0; ms < 20_000; ms += 100) {
    const at = T0 + ms;
    const down = ms >= 10_000 && ms < 15_000;
    const us = { class: 'us', client_region: 'us-east', gateway_region: 'us-east' };
    lines.push(...request(at, us, { ttft: 300, region: 'us-east' }));
    const ap = { class: 'ap', client_region: 'ap-southeast', gateway_region: 'ap-southeast' };
    lines.push(...request(at, ap, { ttft: 500, region: 'ap-southeast' }));
    // a pinned EU tenant, every 200 ms: always answered in the EU (by Azure's westeurope during the outage)
    const bank = { class: 'eu-bank', client_region: 'eu-west', gateway_region: 'eu-west' };
    if (ms % 200 === 0) lines.push(...request(at, bank, { ttft: 330, region: 'westeurope', attempts: down ? 2 : 1 }));
    const eu = { class: 'eu-shop', client_region: 'eu-west', gateway_region: 'eu-west' };
    if (!down) lines.push(...request(at, eu, { ttft: 320, region: ms % 200 === 0 ? 'westeurope' : 'eu-west' }));
    else if (ms === 10_000) lines.push(...request(at, eu, { ttft: 0, failed: true }));
    else lines.push(...request(at, eu, { ttft: 400, region: 'us-east', attempts: 2 }));
  }
  return lines;
}

const chaos: ChaosLog = {
  lines: 2,
  bad: { count: 0, samples: [] },
  dropped: 0,
  events: [
    { timeMs: T0 + 10_000, event: 'start', id: 'f1', fault: 'outage-refuse', scope: 'provider=openai region=eu-west' },
    { timeMs: T0 + 15_000, event: 'stop', id: 'f1', fault: 'outage-refuse', scope: 'provider=openai region=eu-west' },
  ],
};

async function summary() {
  const agg = await ingestSamples(run(), { startMs: T0, locateRegion: (r) => WHERE[r] });
  const startedAt = new Date(T0).toISOString();
  return summarize(agg, { chaos, run: { startedAt, endedAt: new Date(T0 + 20_000).toISOString() } as never });
}

describe('per-region report', () => {
  it('gives each client region its share, error rate, TTFT percentiles, cross-region share and failovers', async () => {
    const r = (await summary()).regions!;
    expect(r.rows.map((x) => x.clientRegion)).toEqual(['ap-southeast', 'eu-west', 'us-east']);
    const [ap, eu, us] = r.rows;
    expect(us).toMatchObject({ gatewayRegion: 'us-east', requests: 200, errors: 0, crossRegionShare: 0, failovers: 0 });
    expect(us!.share).toBeCloseTo(200 / 700, 5);
    expect(us!.ttft_p50_ms).toBeCloseTo(300, 0);
    expect(ap!.ttft_p99_ms).toBeCloseTo(500, 0);
    expect(eu).toMatchObject({ requests: 300, errors: 1, servedFrom: 'eu-west', failovers: 49, retried: 49 + 25 });
    expect(eu!.failoverSpans).toEqual([{ fromS: 10, toS: 15, requests: 49 }]);
    expect(us!.failoverSpans).toEqual([]);
    // westeurope lies in eu-west: only eu-shop's 49 failed-over answers left the region
    expect(eu!.crossRegionShare).toBeCloseTo(49 / 299, 5);
    expect(eu!.ttft_p95_ms).toBeCloseTo(400, 0);
  });

  it('splits the figures at the fault windows: the outage touches only its region', async () => {
    const r = (await summary()).regions!;
    expect(r.faultWindows).toEqual([{ fromS: 10, toS: 15, fault: 'outage-refuse', scope: 'provider=openai region=eu-west' }]);
    const eu = r.rows.find((x) => x.clientRegion === 'eu-west')!;
    expect(eu.duringFaults).toMatchObject({ requests: 75, failovers: 49 });
    expect(eu.duringFaults!.crossRegionShare).toBeCloseTo(49 / 74, 5);
    expect(eu.duringFaults!.errorRate).toBeCloseTo(1 / 75, 5);
    expect(eu.outsideFaults).toMatchObject({ requests: 225, errorRate: 0, crossRegionShare: 0 });
    for (const other of r.rows.filter((x) => x.clientRegion !== 'eu-west')) {
      expect(other.duringFaults).toMatchObject({ errorRate: 0, crossRegionShare: 0, failovers: 0 });
    }
  });

  it('tells the classes of one region apart: the pinned tenant stays, the other moves', async () => {
    const { classes } = (await summary()).regions!;
    expect(Object.keys(classes)).toEqual(['ap', 'eu-bank', 'eu-shop', 'us']);
    expect(classes['eu-bank']).toMatchObject({ clientRegion: 'eu-west', requests: 100, crossRegionShare: 0, failovers: 0 });
    expect(classes['eu-bank']!.duringFaults).toMatchObject({ requests: 25, crossRegionShare: 0, errorRate: 0 });
    expect(classes['eu-shop']!.duringFaults).toMatchObject({ requests: 50, crossRegionShare: 1 });
  });

  it('has no regions block without client-region tags', async () => {
    const agg = await ingestSamples(request(T0, { class: 'chat' }, { ttft: 100, region: 'us-east' }), { startMs: T0 });
    const s = summarize(agg);
    expect(s.regions).toBeUndefined();
    expect(regionsMarkdown(s)).toBe('');
    expect(regionsHtml(s)).toBe('');
  });
});

describe('per-region renderers', () => {
  it('put one row per region with the fault columns into summary.md and index.html', async () => {
    const s = await summary();
    const { head, rows } = regionTable(s.regions!);
    expect(head).toContain('cross-region in faults');
    expect(rows[1]!.slice(0, 2)).toEqual(['eu-west', 'eu-west']);
    const md = renderMarkdown(s);
    expect(md).toContain('### Regions');
    const euLine = md.split('\n').find((l) => l.startsWith('| eu-west |'))!;
    expect(euLine).toContain('| 300 |');
    expect(md).toContain('#### By class');
    const bankLine = md.split('\n').find((l) => l.startsWith('| eu-bank | eu-west | eu-west |'))!;
    expect(bankLine).toBeDefined();
    expect(md).toContain('Faults: outage-refuse (provider=openai region=eu-west) 10–15 s.');
    const events = 'eu-west 10–15 s (49); eu-shop 10–15 s (49)';
    expect(md).toContain(`Failover events (answers served away from the usual region): ${events}.`);
    const html = renderHtml(s, { chartJs: '' });
    expect(html).toContain('<h2>Regions</h2>');
    expect(html).toMatch(/<td class="l">ap-southeast<\/td>/);
    expect(html).toContain('<h3>By class</h3>');
  });

  it('escapes what it is given', async () => {
    const s = await summary();
    const bad = { ...s, regions: { ...s.regions!, rows: [{ ...s.regions!.rows[0]!, clientRegion: '<b>|x' }] } };
    expect(regionsHtml(bad)).toContain('&lt;b&gt;|x');
    expect(regionsMarkdown(bad)).toContain('&lt;b&gt;\\|x');
  });
});
