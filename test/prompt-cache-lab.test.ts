/**
 * Provider prompt caching end to end: the default fleet and gateway on loopback, the native driver
 * sending prompts that share a long system prompt (streamed and not), then the report. The
 * gateway's cost (cached tokens at the cached price, from `prompt_tokens_details.cached_tokens`)
 * must equal the fleet's ledger to the cent, and the report shows the cached tokens and the saving.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriver } from '../driver/index.js';
import { buildReport } from '../reports/build.js';
import { LAB_AUTH, startDefaultLab, type DefaultLab } from './helpers/gateway-lab.js';
import { SpecSchema } from '../scenarios/spec-schema.js';

const SYSTEM = 'You answer questions about the stormlab lab, its fleet, gateway and reports. '.repeat(80);

describe('prompt caching: gateway cost and ledger reconcile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormlab-prompt-cache-'));
  let lab: DefaultLab;
  let fleet: DefaultLab['fleet'];
  let gateway: DefaultLab['gateway'];

  beforeAll(async () => {
    lab = await startDefaultLab(dir, { control: false });
    ({ fleet, gateway } = lab);
  });
  afterAll(() => lab?.close());

  it('bills cached prompt tokens alike on both sides, and the report shows them and their saving', async () => {
    const items = ['What is TTFT?', 'What is p99?', 'How does failover work?', 'What does a retry cost?'].map((prompt) => ({ prompt, system: SYSTEM }));
    const spec = SpecSchema.parse({
      name: 'prompt-cache',
      arrival: { executor: 'constant-arrival-rate', rate: 10, duration: '2s', maxInFlight: 100 },
      workload: {
        seed: 5,
        classes: [{ name: 'chat', model: 'gpt-4.1', streamRatio: 0.5, prompt: { source: 'dataset', items }, maxTokens: { dist: 'constant', value: 8 } }],
      },
      timeout: '10s',
    });
    const result = await runDriver({ spec, target: gateway.url, out: join(dir, 'samples.ndjson'), headers: LAB_AUTH });
    expect(result.errors).toBe(0);
    await fleet.close(); // flushes the ledger

    const { summary } = await buildReport(dir);
    const up = summary.upstream!;
    expect(up.calls).toBe(20);
    // every call after the first shares the system prompt's 1,024+ token prefix
    expect(up.cachedTokensIn).toBeGreaterThanOrEqual(19 * 1024);
    expect(up.cacheSavedUsd).toBeCloseTo((up.cachedTokensIn * (2.0 - 0.5)) / 1e6, 9);
    // without cached pricing on one side the two would differ by cents (1,024+ tokens × $1.50/1M per call)
    expect(Math.abs(summary.cost.differenceUsd!)).toBeLessThan(1e-6);
    expect(summary.cost.unexplainedUsd).toBe(0);
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('✓ equal to the cent');
    expect(md).toMatch(/providers' prompt caches \(ledger\) \| [\d,]+ cached input tokens \(\d+(\.\d+)?% of input\), saved \$/);
  });
});
