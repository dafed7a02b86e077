/**
 * `stormlab compare-strategies` for real: the CLI runs a spec (the baseline's workload with
 * openai/us-east down for half the run) under several built-in gateway configs, each on its own
 * fleet and gateway (real processes on loopback), and writes one report. Short and bounded: 3 s at
 * 6 requests/s per config. Bad input stops it before anything
 * starts (exit 2, naming the flag or file and path); Ctrl-C ends it with the report of what ran.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveGatewayConfigFile } from '../gateway/index.js';
import { StrategyComparisonSchema, type StrategyComparison, type StrategyRow } from '../reports/index.js';
import { BIN, cli, cliProcess } from './helpers/cli.js';

const tmp = (name: string) => join(mkdtempSync(join(tmpdir(), 'stormlab-strategies-')), name);
const read = (dir: string): StrategyComparison =>
  StrategyComparisonSchema.parse(JSON.parse(readFileSync(join(dir, 'strategies.json'), 'utf8')));

describe('stormlab compare-strategies on the default fleet', () => {
  it(
    'least-cost is cheaper than priority; cheap-only answers worse than frontier-only; each met the fault; files parse',
    { timeout: 240_000 },
    async () => {
      const out = tmp('cmp');
      const args = [
        'compare-strategies',
        'test/fixtures/strategies-outage.yaml',
        '--configs',
        'priority',
        'least-cost',
        'cheap-only',
        'frontier-only',
      ];
      const r = await cliProcess([...args, '--duration', '3s', '--rate', '6', '--out', out], {
        timeoutMs: 220_000,
      });
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      const c = read(out);
      expect(c.spec).toBe('strategies-outage');
      expect(c.planned).toEqual(['priority', 'least-cost', 'cheap-only', 'frontier-only']);
      const row = (name: string) => c.configs.find((x) => x.name === name) as StrategyRow;
      for (const x of c.configs) {
        // the same seeded workload and the same fault under each
        expect(x.requests, x.name).toBe(18);
        expect(readFileSync(join(x.runDir, 'chaos.ndjson'), 'utf8'), x.name).toContain('outage-refuse');
        expect(x.errorRate!, x.name).toBeLessThan(0.2);
        expect(x.costBasis).toBe('ledger');
        expect(existsSync(join(x.runDir, 'summary.json'))).toBe(true);
      }
      // priority's first choice is the region that went down: it failed over; DeepSeek never went down
      expect(row('priority').failovers).toBeGreaterThan(0);
      expect(row('least-cost').failovers).toBe(0);

      expect(row('least-cost').costPer1kUsd!).toBeLessThan(row('priority').costPer1kUsd!);
      expect(row('least-cost').providerShare.deepseek).toBe(1);
      expect(row('priority').providerShare.openai).toBe(1);
      expect(row('cheap-only').quality!.share!).toBeLessThan(row('frontier-only').quality!.share!);
      expect(row('cheap-only').costPer1kUsd!).toBeLessThan(row('frontier-only').costPer1kUsd!);

      expect(r.stdout).toContain(`recommendation: ${c.recommendation.text}`);
      expect(c.recommendation.baseline).toBe('priority');
      const md = readFileSync(join(out, 'strategies.md'), 'utf8');
      expect(md).toContain(`**Recommendation:** ${c.recommendation.text}`);
      for (const name of c.planned) expect(md).toContain(`| ${name}`);
      expect(readFileSync(join(out, 'strategies.html'), 'utf8')).toMatch(/^<!doctype html>/);
    },
  );

  it(
    'Ctrl-C during the first config: its run stops, no further config runs, the report covers what ran (exit 105)',
    { timeout: 90_000 },
    async () => {
      const out = tmp('cut');
      const args = [
        'compare-strategies',
        'baseline',
        '--configs',
        'priority,least-cost',
        '--duration',
        '20s',
        '--rate',
        '4',
        '--grace',
        '1s',
        '--out',
        out,
      ];
      const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const until = Date.now() + 60_000;
        while (!/priority: driver:/.test(stderr) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 1500)); // some load ran
        process.kill(-child.pid!, 'SIGINT');
        expect(await exited).toBe(105);
      } finally {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      }
      const c = read(out);
      expect(c.planned).toEqual(['priority', 'least-cost']);
      expect(c.configs.map((x) => x.name)).toEqual(['priority']);
      expect(c.configs[0]!.interrupted).toBe(true);
      expect(c.configs[0]!.requests).toBeGreaterThan(0);
      expect(existsSync(join(out, 'least-cost'))).toBe(false);
      expect(stdout).toContain('interrupted: the report covers what ran');
      expect(readFileSync(join(out, 'strategies.md'), 'utf8')).toContain('not run: least-cost');
    },
  );
});

describe('stormlab compare-strategies: a config whose run fails', () => {
  it('is reported as failed with why; the others still run (exit 1)', { timeout: 120_000 }, async () => {
    const out = tmp('failed');
    // valid as a config, but its upstream is not in the fleet: the gateway cannot start against it
    const mars = join(mkdtempSync(join(tmpdir(), 'stormlab-mars-')), 'mars.yaml');
    const cheap = readFileSync(resolveGatewayConfigFile('strategies/cheap-only'), 'utf8');
    writeFileSync(mars, cheap.replaceAll('google/us-central1', 'google/mars-1'));
    const args = ['compare-strategies', 'baseline', '--configs', mars, 'cheap-only', '--duration', '2s', '--rate', '4'];
    const r = await cliProcess([...args, '--out', out], { timeoutMs: 100_000 });
    expect(r.code).toBe(1);
    const c = read(out);
    expect(c.configs.map((x) => x.name)).toEqual(['cheap-only']);
    expect(c.failed.map((f) => f.name)).toEqual(['mars']);
    expect(c.failed[0]!.message).toContain('google/mars-1');
    expect(r.stdout).toContain('failed: mars');
    expect(readFileSync(join(out, 'strategies.md'), 'utf8')).toContain('**Failed:** mars');
  });
});

describe('stormlab compare-strategies: bad input → exit 2 before anything runs', () => {
  const out = tmp('never');
  const run = (...argv: string[]) => cli('compare-strategies', 'baseline', ...argv, '--out', out);

  it.each([
    [
      ['--configs', 'priority', '/nonexistent/gw.yaml'],
      ['SL_CONFIG_NOT_FOUND', '--configs', '/nonexistent/gw.yaml'],
    ],
    [
      ['--configs', 'priority', 'test/fixtures/bad-gateway.yaml'],
      ['SL_CONFIG_INVALID', '--configs', 'bad-gateway.yaml', 'routes[0].targets[0].upstream'],
    ],
    [
      ['--configs', 'priority', 'no-such-strategy'],
      ['SL_CONFIG_NOT_FOUND', '--configs', 'no-such-strategy', 'strategies/least-cost'],
    ],
    [
      ['--configs', 'priority'],
      ['SL_USAGE', '--configs', 'two or more'],
    ],
    [
      ['--configs', 'priority', 'priority'],
      ['SL_USAGE', 'twice'],
    ],
    [[], ['SL_USAGE', '--configs']],
    [
      ['--configs', 'priority,least-cost', '--rate', '0'],
      ['SL_USAGE', '--rate', 'positive'],
    ],
    [
      ['--configs', 'priority,least-cost', '--duration', 'soon'],
      ['SL_USAGE', '--duration'],
    ],
    [
      ['--configs', 'priority,least-cost', '--seed', '1.5'],
      ['SL_USAGE', '--seed'],
    ],
    [
      ['--configs', 'priority,least-cost', '--max-quality-drop', '-3'],
      ['SL_USAGE', '--max-quality-drop'],
    ],
    [
      ['--configs', 'priority,least-cost', '--bogus'],
      ['SL_USAGE', '--bogus'],
    ],
  ])('%j', async (argv, names) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    for (const n of names) expect(r.stderr).toContain(n);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown spec names the spec', async () => {
    const r = await cli('compare-strategies', 'no-such-spec', '--configs', 'priority,least-cost', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-spec');
  });

  it('--help lists the built-in strategy configs', async () => {
    const r = await cli('compare-strategies', '--help');
    expect(r.code).toBe(0);
    for (const name of ['priority', 'weighted', 'least-latency', 'least-cost', 'cascade', 'complexity'])
      expect(r.stdout).toContain(name);
  });
});
