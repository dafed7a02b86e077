import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StormlabError } from '../../core/errors.js';
import { testFleet } from '../test-helpers.js';
import { loadTimeline } from './load-timeline.js';
import { ChaosTimelineSchema, FaultSpecSchema } from './timeline-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-timeline-'));
function file(name: string, yaml: string): string {
  const f = join(dir, name);
  writeFileSync(f, yaml);
  return f;
}
function loadError(f: string): StormlabError {
  try {
    loadTimeline(f, testFleet());
  } catch (e) {
    if (e instanceof StormlabError) return e;
    throw e;
  }
  throw new Error('loaded without an error');
}

describe('chaos timelines', () => {
  it('parses durations to ms and fills each fault’s defaults', () => {
    const t = ChaosTimelineSchema.parse([
      { at: '1m30s', for: 20, fault: 'http-error', scope: { provider: 'openai', region: ['us-east', 'eu-west'] } },
      { at: 0, fault: 'rate-limit', probability: 0.9, params: { retryAfterS: 2 } },
      { at: '500ms', fault: 'stream-cut' },
    ]);
    expect(t[0]).toEqual({ at: 90_000, for: 20_000, fault: 'http-error', scope: { provider: 'openai', region: ['us-east', 'eu-west'] }, probability: 1, params: { statuses: [500, 502, 503] } });
    expect(t[1]).toEqual({ at: 0, fault: 'rate-limit', scope: {}, probability: 0.9, params: { retryAfterS: 2 } });
    expect(t[2]).toMatchObject({ at: 500, params: { afterTokens: 3 } });
    expect(t[2]).not.toHaveProperty('for');
  });

  it('a bad timeline file names the file, the path and the expectation', () => {
    const f = file(
      'bad.yaml',
      [
        '- { at: 10s, fault: http-eror }',
        '- { at: 10s, fault: latency, params: { multiplier: -2 } }',
        '- { at: 10s, fault: outage-refuse, scope: { model: m1 } }',
        '- { at: 10s, for: 0s, fault: rate-limit, probability: 1.5 }',
        '- { at: 10s, fault: slow-stream, params: { factor: 2 } }',
      ].join('\n'),
    );
    const e = loadError(f);
    expect(e.code).toBe('SL_CONFIG_INVALID');
    expect(e.message).toContain(f);
    const at = (path: string) => e.details.find((d) => d.path === path);
    expect(at('[0].fault')).toMatchObject({ file: f, expected: expect.stringContaining('"http-error"') });
    expect(at('[1].params.multiplier')).toMatchObject({ file: f, expected: '> 0' });
    expect(at('[2].scope.model')?.expected).toContain('scope it by provider and region');
    expect(at('[3].probability')?.expected).toBe('<= 1');
    expect(at('[4].params.factor')?.expected).toBe('no such field (unknown key)');
  });

  it('scope names the fleet does not have are errors (a typo would never match)', () => {
    const f = file('names.yaml', '- { at: 1s, fault: latency, scope: { provider: acme, region: [a, zz] } }\n');
    const e = loadError(f);
    expect(e.details).toEqual([{ file: f, path: '[0].scope.region[1]', expected: 'one of a, b', received: 'zz' }]);
  });

  it('YAML syntax errors name the line', () => {
    const e = loadError(file('syntax.yaml', '- { at: 1s, fault: latency\n'));
    expect(e.code).toBe('SL_CONFIG_PARSE');
    expect(e.details[0]?.path).toMatch(/^line \d+, column \d+$/);
  });

  it('a control-API fault takes an optional id and no `at`', () => {
    expect(FaultSpecSchema.parse({ id: 'storm', fault: 'rate-limit', for: '30s' })).toEqual({ id: 'storm', fault: 'rate-limit', for: 30_000, scope: {}, probability: 1, params: {} });
    expect(FaultSpecSchema.safeParse({ fault: 'latency', at: 3 }).success).toBe(false);
    expect(FaultSpecSchema.safeParse({ id: 'a b', fault: 'latency' }).success).toBe(false);
  });
});
