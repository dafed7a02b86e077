import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, cliProcess } from './helpers/cli.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('stormlab CLI: help and usage', () => {
  it('lists every command and explains each with --help', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const name of ['run', 'mocks', 'gateway', 'bundle', 'report']) {
      expect(top.stdout).toContain(`  ${name}`);
      const help = await cli(name, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: stormlab ${name}`);
    }
  });

  it('rejects an unknown command and an unknown flag with exit 2', async () => {
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const flag = await cli('run', 'baseline', '--rat', '5');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/SL_USAGE.*--rat/);
  });

  it('rejects bad option values, naming the option and what it expects', async () => {
    const rate = await cli('run', 'baseline', '--rate', 'lots');
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain('--rate');
    expect(rate.stderr).toContain('positive number');
    const duration = await cli('run', 'baseline', '--duration', 'ten seconds');
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('--duration');
    const segment = await cli('run', 'baseline', '--segment', '2/3:1/3');
    expect(segment.code).toBe(2);
    expect(segment.stderr).toContain('segment');
    const driver = await cli('run', 'baseline', '--driver', 'locust');
    expect(driver.code).toBe(2);
    expect(driver.stderr).toContain('native | k6');
    const instances = await cli('run', 'baseline', '--gateway-instances', '17');
    expect(instances.code).toBe(2);
    expect(instances.stderr).toContain('--gateway-instances — expected a whole number of instances from 1 to 16');
    const theirs = await cli('run', 'baseline', '--gateway-instances', '2', '--target', 'http://127.0.0.1:9');
    expect(theirs.code).toBe(2);
    expect(theirs.stderr).toContain('--gateway-instances starts our gateway; with --target the gateway is yours');
  });
});

describe('stormlab CLI: bad files', () => {
  it('a spec with wrong fields names the file, each field path and the expectation, and exits 2', async () => {
    const r = await cli('run', fixture('bad-spec.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SL_CONFIG_INVALID');
    expect(r.stderr).toContain('bad-spec.yaml');
    expect(r.stderr).toMatch(/arrival\.rate — expected number/);
    expect(r.stderr).toMatch(/workload\.classes\[0\]\.temperature — expected no such field/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/); // no stack trace
  });

  it('an unknown spec name lists the built-in specs', async () => {
    const r = await cli('run', 'no-such-spec');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SL_SPEC_UNKNOWN');
    expect(r.stderr).toContain('baseline');
  });

  it('invalid YAML names the file and the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-cli-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: broken\narrival: [unclosed\n');
    const r = await cli('run', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SL_CONFIG_PARSE');
    expect(r.stderr).toContain('broken.yaml');
    expect(r.stderr).toMatch(/line \d+/);
  });

  it('a bad gateway config given to `stormlab gateway` fails before listening, naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-cli-'));
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, readFileSync(fixture('bad-gateway.yaml'), 'utf8'));
    const r = await cli('gateway', '--config', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gw.yaml');
    expect(r.stderr).toMatch(/routes\[0\]\.targets\[0\]\.upstream/);
  });

  it('a bad fleet given to `stormlab mocks` fails naming the path', async () => {
    const r = await cli('mocks', '--fleet', fixture('bad-fleet.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-fleet.yaml');
    expect(r.stderr).toMatch(/providers\[0\]\.models\[0\]\.price\.output — expected number/);
  });
});

describe('stormlab CLI: k6 driver', () => {
  it('without k6 on PATH, --driver k6 exits 2 and says how to install k6 or use the native driver', async () => {
    const r = await cliProcess(['run', 'baseline', '--driver', 'k6', '--duration', '2s'], { env: { PATH: '/nonexistent' }, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SL_K6_MISSING');
    expect(r.stderr).toContain('install');
    expect(r.stderr).toContain('--driver native');
  });
});
