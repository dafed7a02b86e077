/** Bad gateway configs through `stormlab gateway --config`: each must name the file, the field path and what was expected, and exit 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cli.js';

export interface BadConfigCase {
  name: string;
  yaml: string;
  path: RegExp;
  expected: RegExp;
}

export function describeBadGatewayConfigs(title: string, cases: readonly BadConfigCase[]): void {
  describe(title, () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-gwcfg-'));
    for (const c of cases) {
      it(`${c.name}: names file, path and expectation; exit 2`, async () => {
        const file = join(dir, `${c.name.replace(/\W+/g, '-')}.yaml`);
        writeFileSync(file, c.yaml);
        const r = await cli('gateway', '--config', file);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(file);
        expect(r.stderr).toMatch(c.path);
        expect(r.stderr).toMatch(c.expected);
        expect(r.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/); // no stack trace
      });
    }
  });
}
