/**
 * Answer quality end to end on loopback: the default mock fleet behind the reference gateway,
 * the native driver sending shipped prompts (FAQ lookups and multi-step reasoning) to a cheap and
 * a frontier model, and the report built from the run directory. Bounded: 60 requests.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriver } from '../driver/index.js';
import { buildReport, byTag, readAnswers, shareAdequate } from '../reports/index.js';
import { LAB_AUTH, startDefaultLab, type DefaultLab } from './helpers/gateway-lab.js';
import { SpecSchema } from '../scenarios/spec-schema.js';

describe('answer quality: fleet verdicts → ledger → report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormlab-quality-'));
  let lab: DefaultLab;
  let fleet: DefaultLab['fleet'];
  let gateway: DefaultLab['gateway'];

  beforeAll(async () => {
    lab = await startDefaultLab(dir, { control: false });
    ({ fleet, gateway } = lab);
  });
  afterAll(() => lab?.close());

  it('the report shows the share of adequate answers per class, model and provider', async () => {
    const cls = (name: string, model: string, families: string[]) => ({
      name,
      model,
      streamRatio: 0.5,
      prompt: { source: 'families', families, zipf: 0 },
      maxTokens: { dist: 'constant', value: 8 },
    });
    const spec = SpecSchema.parse({
      name: 'quality',
      arrival: { executor: 'constant-arrival-rate', rate: 20, duration: '3s', maxInFlight: 200 },
      workload: {
        seed: 5,
        classes: [cls('faq', 'gpt-4.1-nano', ['support']), cls('hard-cheap', 'gpt-4.1-nano', ['reasoning']), cls('hard-frontier', 'gpt-4.1', ['reasoning'])],
      },
      timeout: '20s',
    });
    // every answer must come from the fleet (which judges it): the default gateway's cache is bypassed
    const result = await runDriver({ spec, target: gateway.url, out: join(dir, 'samples.ndjson'), headers: { ...LAB_AUTH, 'cache-control': 'no-store' } });
    expect(result.requests).toBe(60);
    expect(result.errors).toBe(0);
    await fleet.close(); // flush the ledger

    const { summary } = await buildReport(dir);
    const q = summary.quality!;
    expect(q.requests).toMatchObject({ judged: 60, unjudged: 0 });
    const share = (c: string) => q.byClass[c]!.share!;
    expect(share('faq')).toBeGreaterThanOrEqual(0.6);
    expect(share('hard-cheap')).toBeLessThanOrEqual(0.15);
    expect(share('hard-frontier')).toBeGreaterThanOrEqual(share('hard-cheap') + 0.15);
    expect(Object.keys(q.byModel).sort()).toEqual(['gpt-4.1', 'gpt-4.1-nano']);
    expect(q.byProvider.openai!.judged).toBe(60);

    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('### Answer quality');
    expect(md).toContain('| class `hard-frontier` |');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<h2>Answer quality</h2>');
    expect(shareAdequate(await readAnswers(dir), byTag('class'))).toEqual(q.byClass);
  });
});
