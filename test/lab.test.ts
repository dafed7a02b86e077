/**
 * The whole lab end to end on loopback: mock fleet + gateway + native driver, real HTTP and SSE.
 * Bounded: a few seconds of load at a modest rate.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriver } from '../driver/index.js';
import { SummarySchema } from '../reports/index.js';
import { parseSampleLine, parseTimeMs, type PointLine } from '../scenarios/samples.js';
import { expectedIterations } from '../scenarios/schedule.js';
import { SpecSchema, type Spec } from '../scenarios/spec-schema.js';
import { cliProcess } from './helpers/cli.js';
import { LAB_AUTH, startDefaultLab, type DefaultLab } from './helpers/gateway-lab.js';

function readPoints(file: string): PointLine[] {
  const out: PointLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    const r = parseSampleLine(text);
    if (r.ok && r.line.type === 'Point') out.push(r.line);
  }
  return out;
}

describe('lab: fleet + gateway + native driver, a region killed mid-run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormlab-lab-'));
  let lab: DefaultLab;
  let fleet: DefaultLab['fleet'];
  let gateway: DefaultLab['gateway'];

  beforeAll(async () => {
    lab = await startDefaultLab(dir);
    ({ fleet, gateway } = lab);
  });
  afterAll(() => lab?.close());

  it('sends exactly the open-model schedule, and fails over when openai/us-east dies', async () => {
    const spec: Spec = SpecSchema.parse({
      name: 'lab-failover',
      arrival: { executor: 'constant-arrival-rate', rate: 15, duration: '4s', maxInFlight: 200 },
      workload: {
        seed: 3,
        classes: [
          {
            name: 'chat',
            model: 'gpt-4.1-mini',
            streamRatio: 0.5,
            promptTokens: { dist: 'constant', value: 60 },
            maxTokens: { dist: 'constant', value: 12 },
          },
        ],
      },
      timeout: '10s',
    });
    const samples = join(dir, 'samples.ndjson');
    const killAfterMs = 1500;
    let killedAt = Number.NaN;
    const kill = setTimeout(() => {
      killedAt = Date.now();
      void fleet.stopEndpoint('openai/us-east');
    }, killAfterMs);
    const result = await runDriver({ spec, target: gateway.url, out: samples, headers: LAB_AUTH });
    clearTimeout(kill);

    const expected = expectedIterations(spec.arrival);
    expect(expected).toBe(60);
    expect(result.requests + result.dropped).toBe(expected);
    expect(result.dropped).toBe(0);

    const reqs = readPoints(samples).filter((p) => p.metric === 'http_reqs');
    expect(reqs).toHaveLength(expected);
    const before = reqs.filter((p) => parseTimeMs(p.data.time) < killedAt - 1000);
    const after = reqs.filter((p) => parseTimeMs(p.data.time) > killedAt + 100);
    expect(before.length).toBeGreaterThan(5);
    expect(after.length).toBeGreaterThan(20);
    // Before the kill the first-priority region serves; after it, every request still succeeds, elsewhere.
    expect(before.every((p) => p.data.tags.provider === 'openai' && p.data.tags.region === 'us-east')).toBe(true);
    expect(after.every((p) => p.data.tags.status === '200')).toBe(true);
    expect(after.every((p) => `${p.data.tags.provider}/${p.data.tags.region}` === 'openai/eu-west')).toBe(true);
    const attemptsAfter = readPoints(samples).filter((p) => p.metric === 'attempts' && parseTimeMs(p.data.time) > killedAt + 100);
    expect(attemptsAfter.length).toBe(after.length);
    // a request may pay one failed attempt on the dead region until its circuit breaker opens (the
    // streams cut by the kill count against it); after that requests skip it without an attempt
    expect(attemptsAfter.every((p) => p.data.value === 1 || p.data.value === 2)).toBe(true);
    expect(attemptsAfter.filter((p) => p.data.value === 1).length).toBeGreaterThan(10);
    // Only requests in flight on the dead region at the moment of the kill may fail.
    expect(result.errors).toBeLessThanOrEqual(reqs.length - before.length - after.length);
  });
});

describe('stormlab run: the CLI drives real child processes and writes a run directory', () => {
  it('runs baseline briefly and writes summary.json, summary.md, the ledger and a metrics snapshot', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stormlab-run-')), 'run');
    const r = await cliProcess(['run', 'baseline', '--duration', '3s', '--rate', '4', '--out', out], { timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(/unexpected failure/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('summary.md');
    for (const f of ['spec.json', 'fleet.json', 'gateway.json', 'endpoints.json', 'run.json', 'samples.ndjson', 'ledger.ndjson', 'metrics.prom', 'summary.json', 'summary.md']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const summary = SummarySchema.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(summary.totals.requests).toBe(12);
    expect(summary.totals.errors).toBe(0);
    expect(summary.latency.ttft_ms.count).toBeGreaterThan(0);
    expect(summary.latency.ttft_ms.p99).toBeGreaterThan(0);
    expect(summary.latency.e2e_ms.p99 ?? 0).toBeGreaterThanOrEqual(summary.latency.ttft_ms.p50 ?? Infinity);
    expect(summary.cost.totalUsd).toBeGreaterThan(0);
    // the upstream ledger, written by the fleet process, agrees with the gateway's cost to the cent
    expect(summary.cost.ledgerUsd).not.toBeNull();
    expect(Math.abs((summary.cost.ledgerUsd ?? 0) - summary.cost.totalUsd)).toBeLessThan(0.005);
    // one chat call per request; the default gateway's semantic cache also embeds new prompts
    const ledger = readFileSync(join(out, 'ledger.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { model: string | null });
    expect(ledger.filter((e) => !String(e.model).startsWith('text-embedding'))).toHaveLength(12);
    expect(readFileSync(join(out, 'metrics.prom'), 'utf8')).toMatch(/^# (HELP|TYPE) /m);
  });
});
