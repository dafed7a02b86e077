import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, formatError, StormlabError } from '../core/errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

describe('error catalog', () => {
  it('docs/errors.md documents every code with its exit code, and nothing else', () => {
    const documented = new Map([...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (\d+) \| (\d+) \|/gm)].map((m) => [m[1], { exit: Number(m[2]), status: Number(m[3]) }]));
    expect([...documented.keys()].sort()).toEqual(Object.keys(ERRORS).sort());
    for (const [code, def] of Object.entries(ERRORS)) {
      expect(documented.get(code), code).toEqual({ exit: def.exit, status: def.status });
    }
  });

  it('formats an error with where it is and what was expected, without a stack', () => {
    const e = new StormlabError('SL_CONFIG_INVALID', 'invalid spec', [{ file: 'a.yaml', path: 'arrival.rate', expected: 'number', received: 'string' }]);
    expect(formatError(e)).toBe('error SL_CONFIG_INVALID: invalid spec\n  a.yaml: arrival.rate — expected number, received string');
    expect(e.exitCode).toBe(2);
  });
});
