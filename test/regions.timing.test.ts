/**
 * The lab's regions end to end: real processes (fleet, one gateway per region, two latency
 * relays), real sockets and SSE. Clients in three regions call one provider endpoint in us-east
 * whose time to first token is constant; each client's TTFT must exceed the near client's by the
 * topology's round trips (client → nearest gateway, gateway → provider) within 5 ms.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSampleLine } from '../scenarios/samples.js';
import { SpecSchema } from '../scenarios/spec-schema.js';
import { rttBetween } from '../scenarios/topology.js';
import { runLab } from '../scripts/lab/run-lab.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-regions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FLEET = `seed: 1
providers:
  - name: openai
    format: openai
    regions: [us-east]
    models:
      - name: gpt-4.1-mini
        price: { input: 0.40, output: 1.60 }
        ttftMs: { dist: constant, value: 150 }
        itlMs: { dist: constant, value: 2 }
        outputTokens: { dist: constant, value: 4 }
        prefillMsPerInputToken: 0
        maxOutputTokens: 1024
`;

const GATEWAY = `upstreams:
  - { id: openai/us-east, provider: openai, region: us-east, zone: us, format: openai }
routes:
  - model: gpt-4.1-mini
    targets: [{ upstream: openai/us-east }]
keys:
  - { id: lab, key: sk-stormlab-lab, tenant: lab }
prices:
  gpt-4.1-mini: { input: 0.40, output: 1.60 }
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

describe('lab topology', () => {
  it('a far client sees TTFT higher by the matrix round trips, through real relays', async () => {
    writeFileSync(join(dir, 'fleet.yaml'), FLEET);
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    const cls = (name: string, clientRegion: string) => ({
      name,
      clientRegion,
      model: 'gpt-4.1-mini',
      streamRatio: 1,
      promptTokens: { dist: 'constant', value: 20 },
      maxTokens: { dist: 'constant', value: 4 },
    });
    const spec = SpecSchema.parse({
      name: 'regions-delay',
      target: { gateway: join(dir, 'gateway.yaml'), fleet: join(dir, 'fleet.yaml') },
      arrival: { executor: 'constant-arrival-rate', rate: 12, duration: '9s', maxInFlight: 50 },
      workload: { seed: 5, classes: [cls('near', 'us-east'), cls('eu', 'eu-west'), cls('far', 'ap-southeast')] },
      topology: { gateways: ['us-east', 'eu-west'] },
      timeout: '10s',
    });
    const t = spec.topology!;
    const out = join(dir, 'run');
    const { summary } = await runLab({ spec, out });
    expect(summary.totals.errors).toBe(0);

    const ttft: Record<string, number[]> = { near: [], eu: [], far: [] };
    for (const text of readFileSync(join(out, 'samples.ndjson'), 'utf8').split('\n')) {
      const r = parseSampleLine(text);
      if (!r.ok || r.line.type !== 'Point' || r.line.metric !== 'ttft') continue;
      ttft[r.line.data.tags.class as string]!.push(r.line.data.value);
    }
    for (const xs of Object.values(ttft)) expect(xs.length).toBeGreaterThan(10);
    const rtt = (a: string, b: string) => rttBetween(t, a, b)!;
    // near: us-east → gateway us-east → openai/us-east; eu: eu-west → gateway eu-west → us-east;
    // far: ap-southeast → nearest gateway (eu-west, 160 ms; us-east is 220) → us-east
    const near = rtt('us-east', 'us-east') * 2;
    const expected = {
      eu: rtt('eu-west', 'eu-west') + rtt('eu-west', 'us-east') - near,
      far: rtt('ap-southeast', 'eu-west') + rtt('eu-west', 'us-east') - near,
    };
    expect(expected.far).toBe(238);
    const measured = { eu: median(ttft.eu!) - median(ttft.near!), far: median(ttft.far!) - median(ttft.near!) };
    const medians = `near ${median(ttft.near!)}, eu ${median(ttft.eu!)}, far ${median(ttft.far!)}`;
    console.log(`TTFT medians (ms): ${medians}; expected +${expected.eu} / +${expected.far}`);
    expect(Math.abs(measured.eu - expected.eu)).toBeLessThan(5);
    expect(Math.abs(measured.far - expected.far)).toBeLessThan(5);

    // the per-region report: every request answered in us-east, so eu-west's gateway is all cross-region
    const rows = Object.fromEntries(summary.regions!.rows.map((r) => [r.clientRegion, r]));
    expect(rows['us-east']).toMatchObject({ gatewayRegion: 'us-east', crossRegionShare: 0 });
    expect(rows['eu-west']).toMatchObject({ gatewayRegion: 'eu-west', crossRegionShare: 1 });
    expect(rows['ap-southeast']).toMatchObject({ gatewayRegion: 'eu-west', crossRegionShare: 1 });
    // the gateway configs the lab wrote point at the relay, and name their region as home
    const eu = JSON.parse(readFileSync(join(out, 'gateway.eu-west.json'), 'utf8'));
    expect(eu.upstreams[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(eu.keys[0].homeRegion).toBe('eu-west');
  }, 60_000);
});
