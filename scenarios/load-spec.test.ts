import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StormlabError } from '../core/errors.js';
import { applyOverrides, listSpecs, loadSpec, resolveSpecFile, SPECS_DIR } from './load-spec.js';
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
    expect(a.arrival).toEqual({ executor: 'constant-arrival-rate', rate: 20, timeUnit: 1000, duration: 30_000, maxInFlight: 256 });
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
