/** `stormlab gameday` input handling: help, bad plans and flags → the error names file, path and expectation; exit 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-gameday-cli-'));

describe('stormlab gameday: input', () => {
  it('has --help and is listed by stormlab --help', async () => {
    const help = await cli('gameday', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: stormlab gameday <plan>');
    expect(help.stdout).toContain('primary-region-outage, provider-429-storm, brownout');
    expect((await cli('--help')).stdout).toMatch(/gameday\s+run a failover game day/);
  });

  it('a bad expectation: file, path and what was expected; exit 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\nspec: regional-outage\nexpect:\n  - time_to_failover < fast\n');
    const r = await cli('gameday', file, '--no-alerts');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error SL_CONFIG_INVALID: invalid game-day plan in');
    expect(r.stderr).toContain(
      `${file}: expect[0] — expected for time_to_failover, a duration such as 500ms, 5s or 1m (not "fast")`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown plan lists the built-in ones; a missing rules file and bad flags are named; exit 2', async () => {
    const unknown = await cli('gameday', 'zombie-apocalypse');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('SL_PLAN_UNKNOWN');
    expect(unknown.stderr).toContain('slow-drain');
    const rules = await cli('gameday', 'brownout', '--rules', join(dir, 'nope.yml'));
    expect(rules.code).toBe(2);
    expect(rules.stderr).toContain('--rules — expected a Prometheus alerting rules file');
    const port = await cli('gameday', 'brownout', '--base-port', '9000');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--base-port goes with --target');
    const target = await cli('gameday', 'brownout', '--target', 'localhost:8080');
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('--target — expected http(s)://host[:port][/path]');
    const spec = join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      'name: s\nspec: { name: s, arrival: { executor: constant-arrival-rate, rate: -1, duration: 5s }, workload: { classes: [] } }\nexpect: [client_errors < 1%]\n',
    );
    const inline = await cli('gameday', spec);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toMatch(/spec\.arrival\.rate — expected/);
  });
});
