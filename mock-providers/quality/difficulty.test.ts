import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StormlabError } from '../../core/errors.js';
import { promptKey } from '../../core/prompt-key.js';
import { FleetSchema, loadFleet } from '../fleet-schema.js';
import { createQualityModel, difficultyOf, judge, loadDifficulties, SHIPPED_DIFFICULTIES } from './index.js';
import { DEFAULT_UNKNOWN_DIFFICULTY } from './quality-schema.js';

const caught = (f: () => unknown): StormlabError => {
  try {
    f();
  } catch (e) {
    if (e instanceof StormlabError) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('prompt difficulty', () => {
  it('knows the shipped prompts, whitespace aside', () => {
    const table = loadDifficulties([SHIPPED_DIFFICULTIES]);
    expect(table.size).toBeGreaterThan(400);
    expect(difficultyOf(table, DEFAULT_UNKNOWN_DIFFICULTY, promptKey('  How long does   shipping take? '))).toEqual({ difficulty: 0.1, known: true });
  });

  it('draws an unknown prompt’s difficulty from its text: stable, bell-shaped around 0.45', () => {
    const empty = new Map<string, number>();
    const d = (t: string) => difficultyOf(empty, DEFAULT_UNKNOWN_DIFFICULTY, promptKey(t));
    expect(d('Tell me a story about a lighthouse.')).toEqual(d('Tell me a story about a lighthouse.'));
    const xs = Array.from({ length: 2000 }, (_, i) => d(`prompt number ${i}`).difficulty).sort((a, b) => a - b);
    expect(xs[0]!).toBeGreaterThanOrEqual(0.05);
    expect(xs.at(-1)!).toBeLessThanOrEqual(0.9);
    expect(xs[1000]!).toBeGreaterThan(0.4);
    expect(xs[1000]!).toBeLessThan(0.5);
    expect(Math.abs(xs[200]! - 0.2)).toBeLessThan(0.03); // p10 = 0.2
  });

  it('reads {prompt, difficulty} datasets named relative to the fleet file; bad files are named with the item', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-quality-'));
    writeFileSync(join(dir, 'hard.jsonl'), '{"prompt":"Prove the Riemann hypothesis.","difficulty":1}\n');
    writeFileSync(join(dir, 'fleet.yaml'), [
      'quality: { difficulties: [hard.jsonl] }',
      'providers:',
      '  - { name: p, format: openai, regions: [r], models: [{ name: m, capability: 0.9, price: { input: 1, output: 1 },',
      '      ttftMs: { dist: constant, value: 1 }, itlMs: { dist: constant, value: 1 }, outputTokens: { dist: constant, value: 1 } }] }',
    ].join('\n'));
    const fleet = loadFleet(join(dir, 'fleet.yaml'));
    expect(fleet.quality.difficulties).toEqual([join(dir, 'hard.jsonl')]);
    const q = createQualityModel(fleet.seed, fleet.quality);
    const v = judge(q, fleet.providers[0]!.models[0]!.capability, [{ role: 'user', content: 'Prove the Riemann hypothesis.' }]);
    expect(v).toMatchObject({ difficulty: 1, known: true });
    expect(v.p).toBeLessThan(0.35);

    writeFileSync(join(dir, 'bad.json'), '[{"prompt":"a","difficulty":0.2},{"prompt":"b","difficulty":7}]');
    const bad = caught(() => loadDifficulties([join(dir, 'bad.json')]));
    expect(bad.code).toBe('SL_CONFIG_INVALID');
    expect(bad.details[0]).toMatchObject({ file: join(dir, 'bad.json'), path: '[1].difficulty', expected: '<= 1' });
    writeFileSync(join(dir, 'bad.jsonl'), '{"prompt":"a","difficulty":0.2}\n\n{"prompt":"b"}\n');
    expect(caught(() => loadDifficulties([join(dir, 'bad.jsonl')])).details[0]).toMatchObject({ path: 'line 3.difficulty' });
    writeFileSync(join(dir, 'broken.jsonl'), '{"prompt":"a","difficulty":0.2}\n{"prompt":\n');
    expect(caught(() => loadDifficulties([join(dir, 'broken.jsonl')]))).toMatchObject({ code: 'SL_CONFIG_PARSE', details: [{ path: 'line 2' }] });
    const missing = caught(() => loadDifficulties([join(dir, 'nope.json')]));
    expect(missing.code).toBe('SL_CONFIG_NOT_FOUND');
    expect(missing.details[0]).toMatchObject({ file: join(dir, 'nope.json'), path: 'quality.difficulties' });
  });

  it('a model’s capability is a number from 0 to 1', () => {
    const r = FleetSchema.safeParse({
      providers: [{ name: 'p', format: 'openai', regions: ['r'], models: [{ name: 'm', capability: 1.5, price: { input: 1, output: 1 },
        ttftMs: { dist: 'constant', value: 1 }, itlMs: { dist: 'constant', value: 1 }, outputTokens: { dist: 'constant', value: 1 } }] }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['providers', 0, 'models', 0, 'capability']);
  });
});
