import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random.js';
import { ModelSchema } from './fleet-schema.js';
import { planLatency, tokenOffsets } from './latency.js';

const model = (over: Record<string, unknown> = {}) =>
  ModelSchema.parse({
    name: 'm',
    price: { input: 1, output: 1 },
    ttftMs: { dist: 'lognormal', median: 350, sigma: 0.35 },
    itlMs: { dist: 'lognormal', median: 14, sigma: 0.3 },
    outputTokens: { dist: 'lognormal', median: 140, sigma: 0.6, min: 1, max: 4096 },
    ...over,
  });

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

describe('latency model', () => {
  it('gives the same plans for the same seed and request order, different ones for another seed', () => {
    const m = model();
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 20 }, (_, i) => planLatency(m, { regionMultiplier: 1, promptTokens: 100 + i, maxTokens: 64 }, rng));
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('draws TTFT from the configured lognormal: median and p90 within a few percent over 5000 draws', () => {
    const m = model();
    const rng = new Rng(2024);
    const ttft = Array.from({ length: 5000 }, () => planLatency(m, { regionMultiplier: 1, promptTokens: 0, maxTokens: 1 }, rng).ttftMs).sort((a, b) => a - b);
    const p50 = 350;
    const p90 = 350 * Math.exp(1.2815516 * 0.35);
    expect(Math.abs(quantile(ttft, 0.5) / p50 - 1)).toBeLessThan(0.03);
    expect(Math.abs(quantile(ttft, 0.9) / p90 - 1)).toBeLessThan(0.04);
  });

  it('scales the TTFT draw by the region and adds prefill per prompt token', () => {
    const m = model({ ttftMs: { dist: 'constant', value: 100 }, prefillMsPerInputToken: 0.1 });
    const plan = planLatency(m, { regionMultiplier: 1.5, promptTokens: 200, maxTokens: 5 }, new Rng(1));
    expect(plan.ttftMs).toBeCloseTo(100 * 1.5 + 0.1 * 200, 9);
  });

  it('honours max_tokens: the completion is cut and marked "length"; otherwise it stops on its own', () => {
    const m = model({ outputTokens: { dist: 'constant', value: 50 }, itlMs: { dist: 'constant', value: 10 } });
    const cut = planLatency(m, { regionMultiplier: 1, promptTokens: 10, maxTokens: 12 }, new Rng(1));
    expect(cut).toMatchObject({ outputTokens: 12, finishReason: 'length' });
    expect(cut.itlMs).toHaveLength(11);
    const free = planLatency(m, { regionMultiplier: 1, promptTokens: 10, maxTokens: 100 }, new Rng(1));
    expect(free).toMatchObject({ outputTokens: 50, finishReason: 'stop' });
    const capped = planLatency(model({ outputTokens: { dist: 'constant', value: 50 }, maxOutputTokens: 30 }), { regionMultiplier: 1, promptTokens: 1 }, new Rng(1));
    expect(capped).toMatchObject({ outputTokens: 30, finishReason: 'length' });
  });

  it('turns a plan into due times: TTFT, then one ITL apart', () => {
    const m = model({ ttftMs: { dist: 'constant', value: 100 }, itlMs: { dist: 'constant', value: 10 }, outputTokens: { dist: 'constant', value: 4 } });
    const offsets = tokenOffsets(planLatency(m, { regionMultiplier: 1, promptTokens: 0 }, new Rng(1)));
    expect([...offsets]).toEqual([100, 110, 120, 130]);
  });
});
