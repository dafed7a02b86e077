/**
 * `stormlab gameday --target URL --base-port N`: the fleet on stable ports, the upstream list
 * printed for the gateway's config, the chaos applied through the fleet, and the measurements
 * made from the samples and the fleet's ledger alone. The "external" gateway here is our own,
 * started beforehand by hand as a user would start theirs, configured with those ports.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointId, loadFleet, resolveFleetFile } from '../../mock-providers/index.js';
import type { GamedayResult } from '../../reports/gameday/result.js';
import { spawnCli, type LabProcess } from '../../scripts/lab/processes.js';
import { cliProcess, type CliResult } from '../helpers/cli.js';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A run of `count` free loopback ports (the fleet's endpoints and its control API). */
async function freeRange(count: number): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

const fleet = loadFleet(resolveFleetFile('default'));
const ids = fleet.providers.flatMap((p) => p.regions.map((r) => endpointId(p.name, r.name)));
let gateway: LabProcess<{ url: string }>;
let base: number;
let cli: CliResult;
const out = join(mkdtempSync(join(tmpdir(), 'stormlab-gameday-target-')), 'run');

beforeAll(async () => {
  base = await freeRange(ids.length + 1);
  const upstreams = Object.fromEntries(ids.map((id, i) => [id, `http://127.0.0.1:${base + i}`]));
  gateway = await spawnCli<{ url: string }>('gateway', [
    'gateway',
    '--upstreams',
    JSON.stringify(upstreams),
    '--port',
    '0',
    '--json',
  ]);
  cli = await cliProcess(
    [
      'gameday',
      'primary-region-outage',
      '--target',
      gateway.ready.url,
      '--base-port',
      String(base),
      '--duration',
      '8s',
      '--no-alerts',
      '--header',
      'Authorization: Bearer sk-stormlab-lab',
      '--out',
      out,
    ],
    {
      timeoutMs: 90_000,
    },
  );
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
});

describe('gameday --target with the fleet on stable ports', () => {
  it('prints the upstream list to paste into the gateway config', () => {
    expect(cli.stderr).not.toMatch(/unexpected failure/);
    expect(cli.stdout).toContain('Upstreams for your gateway');
    expect(cli.stdout).toMatch(new RegExp(`openai/us-east\\s+http://127\\.0\\.0\\.1:${base}\\n`));
    const json = cli.stdout.split('\n').find((l) => l.startsWith('{"openai/us-east"'));
    expect(JSON.parse(json!)).toEqual(Object.fromEntries(ids.map((id, i) => [id, `http://127.0.0.1:${base + i}`])));
  });

  it('applies the outage through the fleet and measures the failover from samples and ledger', () => {
    const r = JSON.parse(readFileSync(join(out, 'gameday.json'), 'utf8')) as GamedayResult;
    expect(r.run.target).toBe(gateway.ready.url);
    expect(r.run.gatewayConfig).toBeUndefined();
    expect(r.measurements.faults).toHaveLength(1);
    expect(r.measurements.primary).toBe('openai/us-east');
    expect(r.measurements.values.client_errors_during_fault).toBe(0);
    expect(r.verdicts.find((v) => v.expectation === 'time_to_failover < 5s')?.status).toBe('pass');
    expect(cli.code).toBe(0);
  });
});
