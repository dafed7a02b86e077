/** `stormlab gameday` input handling: help, bad plans and flags → the error names file, path and expectation; exit 2. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLANS_DIR } from '../../scenarios/gameday/load-plan.js';
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

  it('kill-instance with too few instances or a bad --gateway-instances: named before anything starts; exit 2', async () => {
    const one = await cli('gameday', 'instance-kill', '--gateway-instances', '1', '--no-alerts');
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('actions[0].kill-instance.instance: killing an instance needs at least 2 gateway instances');
    expect(one.stderr).toContain('spec.target.instances — expected at least 2, received 1');
    const plan = join(dir, 'kill-5.yaml');
    writeFileSync(plan, readFileSync(join(PLANS_DIR, 'instance-kill.yaml'), 'utf8').replace('instance: 2,', 'instance: 5,'));
    const none = await cli('gameday', plan, '--gateway-instances', '2', '--no-alerts');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('actions[0].kill-instance.instance — expected an instance from 1 to 2');
    const zero = await cli('gameday', 'instance-kill', '--gateway-instances', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--gateway-instances — expected a whole number of instances from 1 to 16, received "0"');
    const target = await cli('gameday', 'instance-kill', '--target', 'http://127.0.0.1:9');
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('kills gateway instances: it needs the gateway the lab starts, not --target');
    expect(`${one.stderr}${none.stderr}${zero.stderr}${target.stderr}`).not.toMatch(/\n\s+at /);
  });
});
