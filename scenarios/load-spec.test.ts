import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StormlabError } from '../core/errors.js';
import { applyOverrides, listSpecs, loadSpec, resolveSpecFile, SPECS_DIR } from './load-spec.js';
import { SpecSchema } from './spec-schema.js';
import { expectedIterations, totalDurationMs } from './schedule.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = `name: tiny
arrival:
  executor: constant-arrival-rate
  rate: 5
  duration: 2s
workload:
  classes:
    - name: chat
      model: m
      promptTokens: { dist: constant, value: 100 }
      maxTokens: { dist: constant, value: 10 }
`;

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function caught(fn: () => unknown): StormlabError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StormlabError) return e;
    throw e;
  }
  throw new Error('expected a StormlabError');
}

describe('loadSpec', () => {
  it('loads the built-in baseline by name, with durations in ms', () => {
    expect(listSpecs()).toContain('baseline');
    const { spec, file } = loadSpec('baseline');
    expect(file).toBe(join(SPECS_DIR, 'baseline.yaml'));
    expect(spec.name).toBe('baseline');
    expect(spec.arrival.executor).toBe('ramping-arrival-rate');
    expect(totalDurationMs(spec.arrival)).toBe(30_000);
    expect(spec.timeout).toBe(60_000);
  });

  it('loads a file by path and applies defaults', () => {
    const { spec } = loadSpec(write('tiny.yaml', GOOD));
    expect(spec.workload.seed).toBe(1);
    expect(spec.arrival).toMatchObject({ rate: 5, duration: 2000, timeUnit: 1000, maxInFlight: 512 });
  });

  it('names the file, the field path and the expectation for bad specs', () => {
    const cases: Array<[string, string, string]> = [
      ['deep.yaml', GOOD.replace('value: 100', 'value: lots'), 'workload.classes[0].promptTokens'],
      ['unknown.yaml', GOOD.replace('rate: 5', 'rate: 5\n  rat: 6'), 'arrival.rat'],
      ['duration.yaml', GOOD.replace('duration: 2s', 'duration: 2 minutes'), 'arrival.duration'],
      ['instances.yaml', GOOD.replace('name: tiny', 'name: tiny\ntarget: { instances: 0 }'), 'target.instances'],
    ];
    for (const [name, text, path] of cases) {
      const file = write(name, text);
      const e = caught(() => loadSpec(file));
      expect(e.code).toBe('SL_CONFIG_INVALID');
      expect(e.message).toContain(file);
      expect(e.details.some((d) => d.file === file && d.path?.startsWith(path) && d.expected)).toBe(true);
    }
    const deep = caught(() => loadSpec(join(dir, 'deep.yaml')));
    expect(deep.details[0]).toMatchObject({ path: 'workload.classes[0].promptTokens.value', expected: 'number' });
  });

  it('lists the built-in specs for an unknown name', () => {
    const e = caught(() => resolveSpecFile('baselien'));
    expect(e.code).toBe('SL_SPEC_UNKNOWN');
    expect(e.message).toContain('baseline');
    expect(caught(() => loadSpec(join(dir, 'missing.yaml'))).code).toBe('SL_CONFIG_NOT_FOUND');
  });
});

describe('applyOverrides', () => {
  const { spec } = loadSpec('baseline');

  it('rate → constant arrival for the spec total or the given duration', () => {
    const a = applyOverrides(spec, { rate: 20 });
    expect(a.arrival).toEqual({ executor: 'constant-arrival-rate', rate: 20, timeUnit: 1000, duration: 30_000, maxInFlight: 256, poisson: false });
    const b = applyOverrides(spec, { rate: 4, durationMs: 5000 });
    expect(expectedIterations(b.arrival)).toBe(20);
    expect(spec.arrival.executor).toBe('ramping-arrival-rate'); // input untouched
  });

  it('duration scales ramping stages proportionally and exactly', () => {
    const s = applyOverrides(spec, { durationMs: 9000 });
    expect(s.arrival.executor === 'ramping-arrival-rate' && s.arrival.stages.map((x) => x.duration)).toEqual([1500, 7500]);
    const odd = applyOverrides(spec, { durationMs: 1001 });
    expect(totalDurationMs(odd.arrival)).toBe(1001);
    const c = applyOverrides(applyOverrides(spec, { rate: 1 }), { durationMs: 3000 });
    expect(c.arrival).toMatchObject({ executor: 'constant-arrival-rate', duration: 3000 });
  });

  it('seed replaces workload.seed; bad values are usage errors', () => {
    expect(applyOverrides(spec, { seed: 9 }).workload.seed).toBe(9);
    for (const o of [{ rate: 0 }, { rate: Number.NaN }, { durationMs: -1 }, { seed: 1.5 }, { seed: -2 }]) {
      const e = caught(() => applyOverrides(spec, o));
      expect(e.code).toBe('SL_USAGE');
      expect(e.details[0]?.expected).toBeTruthy();
    }
  });
});

describe('built-in specs', () => {
  const NAMES = ['429-storm', 'baseline', 'budget-exhaustion', 'cache-effectiveness', 'multi-region', 'priority-separation', 'regional-outage', 'residency', 'soak', 'spike', 'stress-ramp'];

  it('are all there, load, run a few minutes at most by default and shrink to 2 s with --duration', () => {
    expect(listSpecs()).toEqual(NAMES);
    for (const name of NAMES) {
      const { spec } = loadSpec(name);
      expect(spec.name).toBe(name);
      expect(totalDurationMs(spec.arrival), name).toBeLessThanOrEqual(180_000);
      const short = applyOverrides(spec, { durationMs: 2000 });
      expect(totalDurationMs(short.arrival), name).toBe(2000);
      for (const e of short.chaos) expect(e.at + (e.for ?? 0), name).toBeLessThanOrEqual(2000);
    }
  });

  it('use the chaos timeline where the story needs faults', () => {
    expect(loadSpec('regional-outage').spec.chaos).toEqual([
      { at: 10_000, for: 15_000, fault: 'outage-refuse', scope: { provider: 'openai', region: 'us-east' }, probability: 1, params: {} },
    ]);
    expect(loadSpec('429-storm').spec.chaos[0]).toMatchObject({ fault: 'rate-limit', probability: 0.9, params: { retryAfterS: 1 } });
    expect(loadSpec('residency').spec.chaos[0]).toMatchObject({ fault: 'outage-refuse', scope: { region: 'eu-west' } });
  });

  it('inline their datasets, so the resolved spec is self-contained', () => {
    const { spec } = loadSpec('soak');
    const tickets = spec.workload.classes.find((c) => c.name === 'tickets')!;
    expect(tickets.prompt.source === 'dataset' && tickets.prompt.items!.length).toBe(120);
    expect(spec.arrival).toMatchObject({ executor: 'constant-arrival-rate', poisson: true });
  });
});

describe('chaos under --duration', () => {
  it('scales offsets and lengths with the run', () => {
    const { spec } = loadSpec('regional-outage'); // 40 s, outage 10 s → 25 s
    const s = applyOverrides(spec, { durationMs: 4000 });
    expect(s.chaos[0]).toMatchObject({ at: 1000, for: 1500 });
    expect(applyOverrides(spec, { seed: 3 }).chaos).toBe(spec.chaos); // unchanged when the length is
  });
});

describe('closed-model overrides', () => {
  const closed = SpecSchema.parse({ ...YAMLish(), arrival: { executor: 'constant-vus', vus: 3, duration: '10s' } });
  it('--duration sets the duration; --rate turns it into an open model', () => {
    expect(applyOverrides(closed, { durationMs: 2000 }).arrival).toEqual({ executor: 'constant-vus', vus: 3, duration: 2000 });
    expect(applyOverrides(closed, { rate: 5 }).arrival).toEqual({ executor: 'constant-arrival-rate', rate: 5, timeUnit: 1000, duration: 10_000, maxInFlight: 512, poisson: false });
  });
});

function YAMLish(): Record<string, unknown> {
  return { name: 'closed', workload: { classes: [{ name: 'c', model: 'm', promptTokens: { dist: 'constant', value: 1 }, maxTokens: { dist: 'constant', value: 1 } }] } };
}

describe('dataset prompt sources', () => {
  const spec = (file: string): string => `${GOOD.replace('      promptTokens: { dist: constant, value: 100 }\n', `      prompt: { source: dataset, file: ${file} }\n`)}`;

  it('reads JSONL or a JSON array relative to the spec file', () => {
    write('prompts.jsonl', '{"prompt":"hello there","intent":"greet"}\n\n{"prompt":"bye","system":"Be short."}\n');
    write('prompts.json', '[{"prompt":"one"},{"prompt":"two","intent":"x"}]');
    const a = loadSpec(write('ds-a.yaml', spec('prompts.jsonl'))).spec.workload.classes[0]!.prompt;
    expect(a).toEqual({ source: 'dataset', file: 'prompts.jsonl', order: 'random', items: [{ prompt: 'hello there', intent: 'greet' }, { prompt: 'bye', system: 'Be short.' }] });
    const b = loadSpec(write('ds-b.yaml', spec('./prompts.json'))).spec.workload.classes[0]!.prompt;
    expect(b.source === 'dataset' && b.items).toEqual([{ prompt: 'one' }, { prompt: 'two', intent: 'x' }]);
  });

  it('names the spec field, the file and the line when a dataset is missing or bad', () => {
    const missing = caught(() => loadSpec(write('ds-missing.yaml', spec('nope.jsonl'))));
    expect(missing.code).toBe('SL_CONFIG_NOT_FOUND');
    expect(missing.details[0]).toMatchObject({ path: 'workload.classes[0].prompt.file', received: 'nope.jsonl' });
    write('bad.jsonl', '{"prompt":"ok"}\n{"text":"no prompt"}\n');
    const bad = caught(() => loadSpec(write('ds-bad.yaml', spec('bad.jsonl'))));
    expect(bad.code).toBe('SL_CONFIG_INVALID');
    expect(bad.details[0]).toMatchObject({ file: join(dir, 'bad.jsonl'), path: 'line 2.prompt', expected: 'string' });
    write('broken.jsonl', '{"prompt":"ok"}\n{oops\n');
    expect(caught(() => loadSpec(write('ds-broken.yaml', spec('broken.jsonl')))).details[0]).toMatchObject({ path: 'line 2' });
  });
});
