/**
 * Game days with real alerting: Debian's `prometheus` started by the command, scraping the
 * reference gateway's /metrics every second with gateway/alerts/gateway.rules.yml. And the
 * deliberately weak gateway config (one upstream, one attempt) failing the outage plan, with
 * Prometheus made unavailable to show the game day goes on without it.
 * Needs the prometheus package (.ci/run installs it). In the timing group: run alone, so the lab
 * is not starved of CPU while the faults run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GamedayResult } from '../../reports/gameday/result.js';
import { cliProcess, type CliResult } from '../helpers/cli.js';

const WEAK = fileURLToPath(new URL('../../scenarios/gameday/no-fallback.gateway.yaml', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stormlab-gameday-alerts-'));
const strong = { out: join(root, 'default'), cli: undefined as CliResult | undefined };
const weak = { out: join(root, 'weak'), cli: undefined as CliResult | undefined };

const read = (out: string): GamedayResult =>
  JSON.parse(readFileSync(join(out, 'gameday.json'), 'utf8')) as GamedayResult;

beforeAll(async () => {
  [strong.cli, weak.cli] = await Promise.all([
    // 14 s: the outage runs from 3.5 s to 8.75 s, long enough for a 5 s alert window
    cliProcess(['gameday', 'primary-region-outage', '--duration', '14s', '--out', strong.out], { timeoutMs: 120_000 }),
    cliProcess(['gameday', 'primary-region-outage', '--gateway-config', WEAK, '--duration', '8s', '--out', weak.out], {
      timeoutMs: 120_000,
      env: { STORMLAB_PROMETHEUS: join(root, 'no-such-prometheus') },
    }),
  ]);
}, 150_000);

describe('gameday with a real Prometheus', () => {
  it('GatewayUpstreamDown fires for openai/us-east after the outage began, and every expectation holds', () => {
    const cli = strong.cli!;
    expect(cli.stderr).not.toMatch(/unexpected failure/);
    expect(cli.stderr).toMatch(
      /alerts: prometheus http:\/\/127\.0\.0\.1:\d+ scraping http:\/\/127\.0\.0\.1:\d+\/metrics every 1 s/,
    );
    const r = read(strong.out);
    const a = r.measurements.alerts;
    expect(a.available).toBe(true);
    expect(a.neverFired).toEqual(expect.arrayContaining(['GatewayP99High']));
    const down = a.timings.filter((t) => t.alert === 'GatewayUpstreamDown');
    expect(down.length).toBeGreaterThan(0);
    expect(down[0]!.labels.upstream).toBe('openai/us-east');
    // fired after the fault began (never before), and within the plan's 30 s
    expect(down[0]!.firedAfterMs).toBeGreaterThan(0);
    expect(down[0]!.firedAfterMs).toBeLessThan(30_000);
    expect(r.verdicts.find((v) => v.expectation === 'alert GatewayUpstreamDown fires within 30s')?.status).toBe('pass');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/alert GatewayUpstreamDown fired \d+\.\d s after the fault began/);
    expect(readFileSync(join(strong.out, 'gameday.md'), 'utf8')).toContain('| GatewayUpstreamDown |');
  });

  it('the default config fails over within a request (then its breaker skips the dead region), serves the fault from eu-west and comes back', () => {
    const r = read(strong.out);
    expect(r.verdicts.map((v) => v.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    const m = r.measurements;
    expect(m.primary).toBe('openai/us-east');
    expect(m.values.time_to_detect).toBeLessThan(1000);
    // the first requests pay a refused attempt; once the breaker opens the dead region is skipped
    // without spending one, so the mean stays between 1 and 2
    expect(m.values.attempts_per_request_during_fault).toBeGreaterThanOrEqual(1);
    expect(m.values.attempts_per_request_during_fault).toBeLessThan(2);
    const f = m.faults[0]!;
    const inside = r.timeline.filter((b) => b.t >= Math.ceil(f.fromS) && b.t + 1 <= Math.floor(f.toS));
    const served = (e: string): number => inside.reduce((s, b) => s + (b.served[e] ?? 0), 0);
    expect(served('openai/eu-west')).toBeGreaterThan(20);
    // by intended start: a request the load generator or gateway started late may meet the reopened port
    expect(served('openai/eu-west')).toBeGreaterThan(4 * served('openai/us-east'));
    const after = r.timeline.filter((b) => b.t >= Math.ceil(f.toS) + 1 && b.requests > 0);
    expect(after.reduce((s, b) => s + (b.served['openai/us-east'] ?? 0), 0)).toBeGreaterThan(0);
    expect(strong.cli!.stdout).toMatch(/report: .*gameday\.md/);
  });

  it('Prometheus does not outlive the command, and its scratch directory is gone', () => {
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes(strong.out))).toEqual([]);
    expect(existsSync(join(strong.out, '.prometheus'))).toBe(false);
  });
});

describe('gameday against a deliberately weak gateway config (no fallback)', () => {
  it('fails the primary-region-outage verdicts and exits 1', () => {
    const cli = weak.cli!;
    expect(cli.stderr).not.toMatch(/unexpected failure/);
    expect(cli.code).toBe(1);
    const r = read(weak.out);
    expect(r.run.gatewayConfig).toBe(WEAK);
    const v = Object.fromEntries(r.verdicts.map((x) => [x.expectation, x]));
    expect(v['client_errors_during_fault < 1%']).toMatchObject({ status: 'fail' });
    expect(r.measurements.values.client_errors_during_fault).toBeGreaterThan(0.9);
    expect(v['time_to_failover < 5s']).toMatchObject({ status: 'fail', observed: 'never' });
    expect(v['time_to_detect < 2s']).toMatchObject({ status: 'fail', observed: 'never' });
    expect(cli.stdout).toContain('✗ client_errors_during_fault < 1%');
  });

  it('says Prometheus is missing, goes on, and skips the alert expectation', () => {
    const cli = weak.cli!;
    expect(cli.stderr).toContain('alerts: prometheus is not installed');
    expect(cli.stdout).toContain('alerts: not measured — prometheus is not installed');
    const r = read(weak.out);
    expect(r.verdicts.find((x) => x.expectation.startsWith('alert '))?.status).toBe('skipped');
  });
});
