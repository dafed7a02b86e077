/**
 * Every built-in spec runs, short and bounded, through the native driver against the real mock
 * fleet and the real gateway (in-process, port 0), its chaos timeline applied to the fleet.
 * Each runs 2 s at 5/s (`--duration 2s --rate 5`, the timeline scaled to fit); the fleet's
 * latencies are shortened so a run drains quickly. This checks that the specs run and are
 * measured — not that the gateway passes them (budgets, residency and priority queues may not
 * exist yet; their thresholds then fail, which is the truthful outcome).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriver } from '../driver/index.js';
import { loadGatewayConfig, resolveGatewayConfigFile, startGateway, type RunningGateway } from '../gateway/index.js';
import { loadFleet, resolveFleetFile, startFleet, type Fleet, type RunningFleet } from '../mock-providers/index.js';
import { applyOverrides, listSpecs, loadSpec } from './load-spec.js';
import { parseSampleLine, type PointLine } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-specs-'));
let fleet: RunningFleet;
let gateway: RunningGateway;

/** The default fleet with quick latencies: same providers, regions and models, so the specs' chaos scopes resolve. */
function quickFleet(): Fleet {
  const f = loadFleet(resolveFleetFile('default'));
  return {
    ...f,
    providers: f.providers.map((p) => ({
      ...p,
      models: p.models.map((m) => ({ ...m, ttftMs: { dist: 'constant', value: 15 }, itlMs: { dist: 'constant', value: 0.5 }, prefillMsPerInputToken: 0 })),
    })),
  } as Fleet;
}

beforeAll(async () => {
  fleet = await startFleet(quickFleet(), { ledger: join(dir, 'ledger.ndjson'), control: false });
  const upstreamUrls = Object.fromEntries(fleet.endpoints.map((e) => [e.id, e.url]));
  gateway = await startGateway(loadGatewayConfig(resolveGatewayConfigFile('default')), { port: 0, upstreamUrls });
});
afterAll(async () => {
  await gateway?.close();
  await fleet?.close();
  rmSync(dir, { recursive: true, force: true });
});

function points(file: string): PointLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const p = parseSampleLine(l);
      if (!p.ok) throw new Error(`bad sample line (${p.reason}): ${l}`);
      return p.line;
    })
    .filter((l): l is PointLine => l.type === 'Point');
}

/** What each spec must visibly exercise, beyond running. */
const CHECKS: Record<string, (pts: PointLine[]) => void> = {
  soak: (pts) => expect(pts.some((p) => p.metric === 'http_reqs' && p.data.tags.intent !== undefined)).toBe(true),
  'cache-effectiveness': (pts) => expect(pts.filter((p) => p.metric === 'cache_hit').every((p) => p.data.tags.intent)).toBe(true),
  'priority-separation': (pts) => expect(new Set(pts.filter((p) => p.metric === 'http_reqs').map((p) => p.data.tags.priority))).toEqual(new Set(['interactive', 'batch'])),
  'budget-exhaustion': (pts) => expect(new Set(pts.filter((p) => p.metric === 'http_reqs').map((p) => p.data.tags.tenant))).toEqual(new Set(['trial-co', 'big-co'])),
  residency: (pts) => expect(pts.filter((p) => p.metric === 'residency_violation').length).toBeGreaterThan(0),
};

describe('built-in specs through fleet + gateway', () => {
  it('has them all', () => {
    expect(listSpecs().length).toBeGreaterThanOrEqual(10);
  });

  for (const name of listSpecs()) {
    it(`${name} runs 2 s at 5/s and is measured`, async () => {
      // a short per-request timeout: a stuck request fails the test plainly instead of timing it out
      const spec = { ...applyOverrides(loadSpec(name).spec, { durationMs: 2000, rate: 5 }), timeout: 8000 };
      await fleet.resetFaults();
      const started = fleet.chaosEvents().length;
      if (spec.chaos.length > 0) await fleet.applyTimeline(spec.chaos);
      const out = join(dir, `${name}.ndjson`);
      const headers: Record<string, string> = 'apiKey' in spec.target ? { authorization: `Bearer ${spec.target.apiKey}` } : {};
      const r = await runDriver({ spec, target: gateway.url, out, headers });
      await fleet.resetFaults();

      expect(r.requests).toBeGreaterThan(0);
      expect(r.requests + r.dropped + r.interrupted).toBeLessThanOrEqual(10 + (spec.workload.classes.some((c) => c.conversation) ? 40 : 0));
      expect(r.durationMs).toBeLessThan(15_000);
      if (r.aborted) expect(r.aborted).toBe('threshold'); // stress-ramp may stop itself
      expect(r.thresholds).toHaveLength(Object.values(spec.thresholds).flat().length);
      const pts = points(out);
      expect(pts.filter((p) => p.metric === 'http_reqs')).toHaveLength(r.requests);
      CHECKS[name]?.(pts);
      if (spec.chaos.length > 0) {
        const faults = fleet.chaosEvents().slice(started);
        expect(faults.some((e) => JSON.stringify(e).includes(spec.chaos[0]!.fault)), `chaos of ${name} applied`).toBe(true);
      }
    });
  }
});
