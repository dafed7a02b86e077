/**
 * The built-in instance-kill plan through the real CLI, shortened to 16 s: the fleet, three gateway
 * processes on a real redis-server behind the lab's front, instance 2 SIGKILLed and restarted. The
 * report shows the kill as a fault and counts what died in flight; when the command has exited,
 * nothing it started still listens (the front, the gateways, Redis).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GamedayResult } from '../../reports/gameday/result.js';
import { findRedisServer } from '../../scripts/lab/redis.js';
import { cliProcess } from '../helpers/cli.js';

function listening(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname, port: Number(u.port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe.skipIf(findRedisServer() === null)('stormlab gameday instance-kill (16 s)', () => {
  it('kills instance 2, counts what it lost in flight, restarts it, and leaves nothing running', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stormlab-instance-kill-')), 'run');
    const cli = await cliProcess(['gameday', 'instance-kill', '--duration', '16s', '--no-alerts', '--out', out], {
      timeoutMs: 100_000,
    });
    expect(cli.stderr).toMatch(/redis: redis:\/\/127\.0\.0\.1:\d+ \(no persistence\) for 3 gateway instances/);
    expect(cli.stderr).toMatch(/gateway instance 2 killed \(SIGKILL\) with \d+ request\(s\) in flight on it/);
    expect(cli.stderr).toMatch(/gateway instance 2 restarted at http/);
    const result = JSON.parse(readFileSync(join(out, 'gameday.json'), 'utf8')) as GamedayResult;
    const [kill] = result.measurements.instances;
    expect(kill).toMatchObject({ instance: 2 });
    expect(kill!.killedAtS).toBeCloseTo(6, 0); // 15 s of 40 s, scaled to 16 s
    expect(kill!.lost).toBeGreaterThan(0);
    expect(kill!.servingAgainAtS).not.toBeNull();
    expect(result.measurements.faults.map((f) => `${f.fault} (${f.scope})`)).toEqual(['kill-instance (instance=2)']);
    // nothing started while it was down failed: the front sent it to instances 1 and 3
    expect(result.measurements.values.client_errors_during_fault).toBe(0);
    expect(result.measurements.values.requests_lost_in_flight).toBe(kill!.lost);
    const held = Object.fromEntries(result.verdicts.map((v) => [v.expectation, v.status]));
    expect(held).toMatchObject({ 'client_errors_during_fault < 1%': 'pass', 'requests_lost_in_flight <= 20': 'pass' });
    expect(cli.code).toBe(result.ok ? 0 : 1);
    const md = readFileSync(join(out, 'gameday.md'), 'utf8');
    expect(md).toContain('### Gateway instances killed');
    expect(readFileSync(join(out, 'gameday.html'), 'utf8')).toContain('<h2>Gateway instances killed</h2>');

    // the command has exited: the front, the three gateways and Redis are gone
    const instances = readFileSync(join(out, 'instances.ndjson'), 'utf8').trim().split('\n');
    const urls = instances.map((l) => JSON.parse(l) as { url?: string }).flatMap((e) => (e.url ? [e.url] : []));
    const redis = (JSON.parse(readFileSync(join(out, 'gateway-instances.json'), 'utf8')) as { redis: { url: string } }).redis;
    const front = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { target: string }).target;
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const u of [...urls, redis.url.replace('redis:', 'http:'), front]) expect(await listening(u), u).toBe(false);
  }, 120_000);
});
