/**
 * Every built-in game-day plan but primary-region-outage (alerting.timing.test.ts runs that one, with
 * Prometheus), run short (8 s, faults scaled with it) through the real CLI: the
 * mock fleet and the reference gateway as child processes, real HTTP and SSE on loopback, the
 * chaos timeline applied by the fleet. Two plans at a time, in the timing group (no other test
 * file competes for the cores: a starved gateway meets the faults late); Prometheus is left out here
 * (alerting.timing.test.ts runs it). Verdicts are checked against what the reference gateway does
 * today with its default config: priority failover, a breaker per target, answers cut mid-stream
 * continued on a prefill-capable fallback, tenants pinned to their regions — and no
 * latency-aware routing.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GamedayResult } from '../../reports/gameday/result.js';
import { cliProcess, type CliResult } from '../helpers/cli.js';

// primary-region-outage runs in alerting.timing.test.ts, with Prometheus
const PLANS = [
  'provider-429-storm',
  'brownout',
  'flapping-provider',
  'mid-stream-cuts',
  'residency-outage',
  'slow-drain',
];
const root = mkdtempSync(join(tmpdir(), 'stormlab-gameday-'));
const runs = new Map<string, { cli: CliResult; result: GamedayResult }>();

/**
 * 8 s each; flapping-provider 30 s, so that its up windows (5 s) outlast the breaker's 3 s
 * cool-down as they do at full length (20 s).
 */
const DURATION: Record<string, string> = { 'flapping-provider': '30s' };

async function runPlan(plan: string): Promise<void> {
  const out = join(root, plan);
  const cli = await cliProcess(['gameday', plan, '--duration', DURATION[plan] ?? '8s', '--no-alerts', '--out', out], {
    timeoutMs: 90_000,
  });
  if (cli.code === 2 || /unexpected failure/.test(cli.stderr))
    throw new Error(`gameday ${plan} failed:\n${cli.stderr}`);
  runs.set(plan, { cli, result: JSON.parse(readFileSync(join(out, 'gameday.json'), 'utf8')) as GamedayResult });
}

beforeAll(async () => {
  const queue = [...PLANS];
  await Promise.all(
    [0, 1].map(async () => {
      for (let p = queue.shift(); p; p = queue.shift()) await runPlan(p);
    }),
  );
}, 240_000);

function verdicts(plan: string): Record<string, string> {
  return Object.fromEntries(runs.get(plan)!.result.verdicts.map((v) => [v.expectation, v.status]));
}

describe('built-in game-day plans against the reference gateway (8 s each)', () => {
  it('provider-429-storm: retries move to Azure, no client errors, 429s cost nothing extra; exit 0', () => {
    const { cli, result } = runs.get('provider-429-storm')!;
    expect(verdicts('provider-429-storm')).toMatchObject({
      'client_errors_during_fault < 1%': 'pass',
      'time_to_detect < 2s': 'pass',
      'attempts_per_request_during_fault < 4': 'pass',
    });
    // retries happened (how many depends on the 429 draws and on how the load met the window)
    expect(result.measurements.values.attempts_per_request_during_fault).toBeGreaterThan(1);
    expect(cli.code).toBe(result.ok ? 0 : 1);
  });

  it('brownout: nothing fails so nothing moves — p99 TTFT during the fault breaks the bound; exit 1', () => {
    const { cli, result } = runs.get('brownout')!;
    expect(cli.code).toBe(1);
    expect(verdicts('brownout')).toMatchObject({
      'client_errors_during_fault < 1%': 'pass',
      'p99_ttft_during_fault < 2s': 'fail',
    });
    expect(result.measurements.values.time_to_detect).toBeNull();
    expect(cli.stdout).toContain('✗ p99_ttft_during_fault < 2s');
  });

  it('flapping-provider: each of the three outages is failed over and traffic comes back after each', () => {
    const { cli, result } = runs.get('flapping-provider')!;
    const f = result.measurements.faults;
    expect(f).toHaveLength(3);
    for (const w of f) {
      expect(w.errors).toBe(0);
      expect(w.timeToRecoverMs).not.toBeNull();
      // the breaker lets probes through 3 s after it opened: traffic is back within a few seconds
      expect(w.timeToRecoverMs!).toBeLessThan(4500);
    }
    expect(verdicts('flapping-provider')).toMatchObject({
      'client_errors_during_fault < 1%': 'pass',
      'time_to_recover < 5s': 'pass',
    });
    expect(cli.code).toBe(0);
  });

  it('mid-stream-cuts: answers cut after their first tokens are continued on Anthropic (prefill), none truncated; exit 0', () => {
    const { cli, result } = runs.get('mid-stream-cuts')!;
    expect(verdicts('mid-stream-cuts')['truncated_streams_during_fault == 0']).toBe('pass');
    expect(result.measurements.values.truncated_streams_during_fault).toBe(0);
    expect(cli.code).toBe(0);
  });

  it('residency-outage: EU tenants stay in the EU while their region is down, without client errors; exit 0', () => {
    const { cli, result } = runs.get('residency-outage')!;
    expect(verdicts('residency-outage')).toMatchObject({
      'residency_violations == 0': 'pass',
      'client_errors_during_fault < 1%': 'pass',
    });
    expect(result.measurements.values.residency_violations).toBe(0);
    expect(cli.code).toBe(0);
  });

  it('slow-drain: half of the primary region answers 503; failover absorbs it; exit 0', () => {
    const { cli, result } = runs.get('slow-drain')!;
    expect(verdicts('slow-drain')).toMatchObject({
      'client_errors_during_fault < 1%': 'pass',
      'attempts_per_request_during_fault < 2': 'pass',
    });
    const a = result.measurements.values.attempts_per_request_during_fault!;
    expect(a).toBeGreaterThan(1);
    expect(cli.code).toBe(result.ok ? 0 : 1);
  });
});
