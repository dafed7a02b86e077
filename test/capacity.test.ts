/**
 * `stormlab capacity` end to end on loopback: the small fleet and the reference gateway as real
 * child processes, the native driver stepping the arrival rate. The knee it finds must sit
 * within 10 % of the one the fleet's capacity model implies, worked out here from the fleet and
 * gateway configs alone. Bounded: 8 s steps, a 120 s budget, at most 9 steps. The SLO leaves
 * 300 ms above the fleet's 400 ms TTFT for a busy machine's noise; past the knee the queue grows
 * by (rate ÷ knee − 1) × 8 s, so the SLO breaks within about 4 % above the knee.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig, resolveGatewayConfigFile, startGateway } from '../gateway/index.js';
import { loadFleet, resolveFleetFile, startFleet } from '../mock-providers/index.js';
import { CapacityReportSchema } from '../reports/capacity/index.js';
import { loadSpec } from '../scenarios/load-spec.js';
import { parseProfile } from '../scenarios/profile.js';
import { parseSlo } from '../scenarios/slo.js';
import { runCapacity } from '../scripts/lab/capacity.js';
import { cli, cliProcess } from './helpers/cli.js';

const SPEC = fileURLToPath(new URL('./fixtures/capacity-small.yaml', import.meta.url));

function constant(d: { dist: string; value?: number }, what: string): number {
  if (d.dist !== 'constant' || d.value === undefined) throw new Error(`${what} must be constant for a hand-worked knee`);
  return d.value;
}

/**
 * The knee the fleet's capacity model implies (mock-providers/limits/capacity.ts): the gateway
 * sends the spec's model to the first target of its route; that endpoint serves `concurrency`
 * calls at once (maxConcurrency equal: no shared-decode slowdown), each for
 * TTFT × region multiplier + prefill × prompt tokens + (output tokens − 1) × ITL; beyond
 * concurrency ÷ service time, calls queue.
 */
function expectedKnee(): { rps: number; endpoint: string } {
  const { spec } = loadSpec(SPEC);
  if (!('gateway' in spec.target)) throw new Error('the fixture targets the lab');
  const cls = spec.workload.classes[0]!;
  const gateway = loadGatewayConfig(resolveGatewayConfigFile(spec.target.gateway));
  const route = gateway.routes.find((r) => r.model === cls.model)!;
  const upstream = gateway.upstreams.find((u) => u.id === route.targets[0]!.upstream)!;
  const fleet = loadFleet(resolveFleetFile(spec.target.fleet));
  const provider = fleet.providers.find((p) => p.name === upstream.provider)!;
  const region = provider.regions.find((r) => r.name === upstream.region)!;
  const model = provider.models.find((m) => m.name === cls.model)!;
  const capacity = model.capacity!;
  expect(capacity.maxConcurrency).toBe(capacity.concurrency);
  const prompt = constant(cls.promptTokens as { dist: string; value?: number }, 'promptTokens');
  const output = Math.min(constant(model.outputTokens, 'outputTokens'), constant(cls.maxTokens as { dist: string; value?: number }, 'maxTokens'));
  const serviceMs =
    constant(model.ttftMs, 'ttftMs') * region.latencyMultiplier + model.prefillMsPerInputToken * prompt + (output - 1) * constant(model.itlMs, 'itlMs');
  return { rps: capacity.concurrency / (serviceMs / 1000), endpoint: upstream.id };
}

describe('stormlab capacity on the small fleet', () => {
  it('finds the knee within 10% of concurrency ÷ service time, blames upstream queueing, and projects the profile', async () => {
    const expected = expectedKnee();
    expect(expected.rps).toBeCloseTo(6.78, 1);
    const out = join(mkdtempSync(join(tmpdir(), 'stormlab-capacity-')), 'cap');
    const lines: string[] = [];
    const { report, files } = await runCapacity({
      spec: SPEC,
      slo: parseSlo('ttft p99<700ms, errors<1%'),
      profile: parseProfile('2.3M/day, peak 85/s'),
      search: { startRate: 2 },
      stepMs: 8000,
      budgetMs: 120_000,
      maxSteps: 9,
      out,
      progress: false,
      log: (l) => lines.push(l),
    });
    for (const f of [files.json, files.md, files.html]) expect(existsSync(f), f).toBe(true);
    const parsed = CapacityReportSchema.parse(JSON.parse(readFileSync(files.json, 'utf8')));
    const c = parsed.configs[0]!;
    expect(report.configs).toHaveLength(1);
    expect(c.knee, lines.join('\n')).not.toBeNull();
    expect(Math.abs((c.knee as number) - expected.rps) / expected.rps, lines.join('\n')).toBeLessThanOrEqual(0.1);
    expect(c.firstFail).toBeGreaterThan(c.knee as number);
    expect(c.steps.length).toBeLessThanOrEqual(9);
    // live progress: a line for each step as it ends (more for a step run again)
    const ended = lines.filter((l) => /^step \d+: .* → [✓✗]/.test(l));
    expect(new Set(ended.map((l) => l.slice(0, 'step NN'.length))).size).toBe(c.steps.length);
    expect(ended.length).toBeGreaterThanOrEqual(c.steps.length + c.steps.filter((s) => s.rerunOf !== null).length);

    // the limit: calls queued on the primary endpoint, read from the fleet's ledger
    expect(c.limit?.cause).toBe('upstream-queueing');
    const failing = c.steps.find((s) => s.rate === c.firstFail)!;
    expect(failing.upstream?.byEndpoint[expected.endpoint]?.queueP99Ms ?? 0).toBeGreaterThan(25);
    const kneeStep = c.steps.find((s) => s.rate === c.knee)!;
    expect(kneeStep.errors).toBe(0);

    // projections: every request is one upstream call to the primary (no cache, no failover)
    const p = c.projection!;
    expect(p.quotas.map((q) => q.endpoint)).toEqual([expected.endpoint]);
    expect(p.quotas[0]!.rpm).toBeCloseTo(85 * 60, 0);
    expect(p.quotas[0]!.tpm).toBeCloseTo(85 * 60 * (50 + 40), 0);
    // the fleet's prices: 50 tokens in at $0.40/M and 40 out at $1.60/M
    const perRequest = (50 * 0.4 + 40 * 1.6) / 1e6;
    expect(p.costPerRequestUsd).toBeCloseTo(perRequest, 9);
    expect(p.dailyUsd).toBeCloseTo(perRequest * 2_300_000, 2);
    expect(p.monthlyUsd).toBeCloseTo(p.dailyUsd * 30, 2);
    expect(p.headroomAtPeak).toBeCloseTo((c.knee as number) / 85 - 1, 6);
    expect(readFileSync(files.md, 'utf8')).toContain(`**Knee: ${c.knee}/s**`);
  }, 200_000);
});

describe('stormlab capacity: bad input', () => {
  it('explains itself with --help and is listed', async () => {
    const help = await cli('capacity', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: stormlab capacity <spec> --slo');
    expect((await cli('--help')).stdout).toContain('  capacity');
  });

  it.each([
    [['--slo', 'ttft<1500'], '--slo[0]', 'not a latency objective'],
    [['--slo', 'ttft p99<1500ms, errors<1%, cost<5'], '--slo[2]', 'names no known objective'],
    [['--slo', 'ttft p99<1500ms', '--profile', '2.3M/day'], '--profile', 'needs a peak rate'],
    [['--slo', 'ttft p99<1500ms', '--profile', '2.3 million a day, peak 85/s'], '--profile[0]', 'neither a volume'],
    [[], '--slo', 'needs --slo'],
    [['--slo', 'errors<1%', '--tolerance', '50 percent'], '--tolerance', 'a share such as 5%'],
  ])('%j → exit 2 naming %s and the expected form', async (args, path, why) => {
    const r = await cli('capacity', SPEC, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error SL_USAGE');
    expect(r.stderr).toContain(why);
    expect(r.stderr).toContain(`  ${path} — expected`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a gateway config that does not validate, second of `--config A B`, is named before anything starts', async () => {
    const bad = fileURLToPath(new URL('./fixtures/bad-gateway.yaml', import.meta.url));
    const r = await cli('capacity', SPEC, '--slo', 'errors<1%', '--config', 'default', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-gateway.yaml');
    const stray = await cli('capacity', SPEC, 'extra.yaml', '--slo', 'errors<1%');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('more gateway configs go after --config');
  });
});

describe('stormlab capacity: the executable', () => {
  it('runs a bounded search as a child process and prints the knee and where the report is', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stormlab-capacity-cli-')), 'cap');
    const args = ['capacity', SPEC, '--slo', 'ttft p99<1500ms, errors<1%', '--start-rate', '1', '--max-rate', '2', '--step', '2s', '--out', out];
    const r = await cliProcess(args, { timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(/unexpected failure/);
    expect(r.code, r.stderr).toBe(0);
    // both steps are far below the fleet's ~6.8/s: the search stops at --max-rate with its knee there
    expect(r.stderr).toMatch(/step 01: 1\/s: 2 requests .* → ✓ meets the SLO/);
    expect(r.stderr).toMatch(/step 02: 2\/s: 4 requests .* → ✓ meets the SLO/);
    expect(r.stdout).toContain('small: knee 2/s');
    expect(r.stdout).toContain(`html: ${relative(process.cwd(), out)}/capacity.html`);
    const report = CapacityReportSchema.parse(JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8')));
    expect(report.configs[0]?.stop).toBe('max-rate');
    expect(report.configs[0]?.steps.every((s) => s.gatewayCpu === null || s.gatewayCpu.seconds >= 0)).toBe(true);
  }, 90_000);

  it('exits 1 when no rate tried meets the SLO, re-running each unexplained failure twice', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stormlab-capacity-none-')), 'cap');
    // the small fleet's TTFT is 400 ms: 50 ms is out of reach at any rate
    const args = ['capacity', SPEC, '--slo', 'ttft p99<50ms', '--start-rate', '1', '--max-steps', '2', '--step', '2s', '--out', out];
    const r = await cliProcess(args, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('small: knee — (first failing 0.5/s, 2 steps)');
    expect(r.stderr).toMatch(/step 01: nothing upstream or in the gateway explains the failure: running 1 req\/s again \(1 of 2\)/);
    expect(r.stderr).toMatch(/step 02: .* running 0.5 req\/s again \(2 of 2\)/);
    const report = CapacityReportSchema.parse(JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8')));
    expect(report.configs[0]?.steps.map((s) => [s.rate, s.ok, s.rerunOf !== null])).toEqual([
      [0.5, false, true],
      [1, false, true],
    ]);
  }, 90_000);
});

describe('stormlab capacity against an external gateway (--target)', () => {
  it('searches through the URL alone: no fleet ledger, so the report says what it cannot measure', async () => {
    const fleet = await startFleet(loadFleet(resolveFleetFile('small')));
    const urls = Object.fromEntries(fleet.endpoints.map((e) => [e.id, e.url]));
    const gateway = await startGateway(loadGatewayConfig(resolveGatewayConfigFile('small')), { port: 0, upstreamUrls: urls });
    try {
      const out = join(mkdtempSync(join(tmpdir(), 'stormlab-capacity-target-')), 'cap');
      const { report } = await runCapacity({
        spec: SPEC,
        slo: parseSlo('ttft p99<1500ms, errors<1%'),
        profile: parseProfile('1M/day, peak 20/s'),
        target: gateway.url,
        headers: { authorization: 'Bearer sk-stormlab-lab' },
        search: { startRate: 2, maxRate: 2 },
        stepMs: 2000,
        out,
        progress: false,
      });
      const c = report.configs[0]!;
      expect(report.target).toBe(gateway.url);
      expect([c.name, c.file, c.knee, c.stop]).toEqual(['target', null, 2, 'max-rate']);
      expect(c.steps[0]?.requests).toBe(4);
      expect(c.steps[0]?.upstream).toBeNull();
      expect(c.projection?.quotas).toEqual([]);
      expect(c.projection?.notes).toEqual([
        'no fleet ledger: cost is what the gateway reported to the client, not what providers billed',
        'no fleet ledger: the provider quota per upstream cannot be measured',
      ]);
      // the gateway's own cost header still prices the requests: 50 in, 40 out at gpt-4.1-mini's list price
      expect(c.projection?.costPerRequestUsd).toBeCloseTo((50 * 0.4 + 40 * 1.6) / 1e6, 9);
    } finally {
      await gateway.close();
      await fleet.close();
    }
  }, 60_000);
});
