/**
 * Interrupting a real `stormlab run` (the CLI, the mock fleet and the gateway as real processes on
 * loopback): Ctrl-C to the process group, SIGTERM to the CLI alone, a double Ctrl-C, and SIGKILL
 * of the CLI. After each, every child process the CLI had is gone, the lab's ports refuse
 * connections, and the run directory holds a report of what ran (rebuilt with `stormlab report`
 * after an abort or a kill) whose request count is the samples'. A few seconds of load each.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SummarySchema, type Summary } from '../reports/index.js';
import { parseSampleLine, parseTimeMs } from '../scenarios/samples.js';
import { BIN, cliProcess } from './helpers/cli.js';
import { alive } from '../scripts/lab/service.js';

const GRACE_MS = 2000;
/** every process a test started or learned of (pid → its run directory), killed should the test fail half-way */
const started = new Map<number, string>();
afterEach(() => {
  for (const [pid, out] of started) {
    // only while it is still ours: its command line names the run directory (a pid may be reused)
    if (commandOf(pid).includes(out)) process.kill(pid, 'SIGKILL');
  }
  started.clear();
});

interface Started {
  pid: number;
  out: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `stormlab run baseline` for up to 20 s at 4 requests/s, in its own process group (as a terminal would start it). */
function startRun(): Started {
  const out = join(mkdtempSync(join(tmpdir(), 'stormlab-interrupt-')), 'run');
  return startCli(['run', 'baseline', '--duration', '20s', '--rate', '4', '--grace', `${GRACE_MS}ms`, '--out', out], out);
}

/** Any `stormlab` command writing to `out`, in its own process group. */
function startCli(args: string[], out: string): Started {
  const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  started.set(child.pid!, out);
  return { pid: child.pid!, out, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function bounded<T>(what: string, p: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function readJson(file: string): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
}

/** http_reqs points of the samples: their count and their (intended start) times. */
function requestTimes(out: string): number[] {
  const file = join(out, 'samples.ndjson');
  if (!existsSync(file)) return [];
  const times: number[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    const r = parseSampleLine(text);
    if (r.ok && r.line.type === 'Point' && r.line.metric === 'http_reqs') times.push(parseTimeMs(r.line.data.time));
  }
  return times;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

interface Lab {
  children: number[];
  urls: string[];
}

/** Once the load runs: the CLI's children (fleet, gateway, …) and every URL the lab listens on. */
async function labOf(run: Started): Promise<Lab> {
  const meta = await waitFor('run.json with the lab processes', () => readJson(join(run.out, 'run.json'))?.lab as Record<string, any> | undefined, 40_000);
  await waitFor('a few requests in the samples', () => requestTimes(run.out).length >= 3, 20_000);
  const children = childrenOf(run.pid);
  for (const pid of children) started.set(pid, run.out);
  expect(children).toEqual(expect.arrayContaining([meta.fleet.pid, meta.gateway.pid]));
  const endpoints = readJson(join(run.out, 'endpoints.json')) as Array<{ url: string }>;
  const urls = [meta.gateway.url, meta.fleet.control, ...endpoints.map((e) => e.url)];
  for (const u of urls) expect(await refused(u), `${u} listens during the run`).toBe(false);
  return { children, urls };
}

async function expectNothingLeft(lab: Lab): Promise<void> {
  // the children leave by themselves when the CLI is gone (SIGKILL: within their 5 s bound)
  await waitFor('every child process to end', () => lab.children.every((p) => !alive(p)), 10_000).catch(() => undefined);
  expect(lab.children.filter(alive), 'child processes still running').toEqual([]);
  for (const u of lab.urls) expect(await refused(u), `${u} still listens`).toBe(true);
}

function summaryOf(out: string): Summary {
  return SummarySchema.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
}

/** The report's request count is the samples', and the marker says what ran against the plan. */
function expectReportOfWhatRan(out: string, how: string, signal: string | null): Summary {
  const s = summaryOf(out);
  const samples = requestTimes(out).length;
  expect(s.totals.requests).toBe(samples);
  expect(s.run.interrupted).toMatchObject({ how, signal, planned: { durationS: 20, requests: 80 }, actual: { requests: samples } });
  expect(samples).toBeLessThan(80);
  expect(readFileSync(join(out, 'samples.ndjson'), 'utf8').endsWith('\n')).toBe(true);
  return s;
}

describe('interrupting stormlab run', () => {
  it('Ctrl-C (SIGINT to the process group): in-flight requests finish, the report of what ran, exit 105', async () => {
    const run = startRun();
    const lab = await labOf(run);
    const signalAt = Date.now();
    process.kill(-run.pid, 'SIGINT');
    const { code } = await bounded('the CLI to exit', run.exited, GRACE_MS + 20_000);
    expect(code, run.stderr()).toBe(105);
    expect(run.stderr()).toContain('SIGINT: stopping');
    expect(run.stdout()).toMatch(/INTERRUPTED\n⚠ interrupted: stopped by SIGINT after [\d.]+ s of 20 s planned · \d+ of 80 planned requests/);
    expect(run.stdout()).toContain('summary.json');
    await expectNothingLeft(lab);
    const s = expectReportOfWhatRan(run.out, 'stopped', 'SIGINT');
    // the CLI took the signal when it came, and nothing started after that
    const tookAt = Date.parse(s.run.interrupted!.at!);
    expect(tookAt).toBeGreaterThanOrEqual(signalAt - 5);
    expect(Math.max(...requestTimes(run.out))).toBeLessThanOrEqual(tookAt + 50);
    expect(existsSync(join(run.out, 'summary.md')) && existsSync(join(run.out, 'index.html'))).toBe(true);
  }, 90_000);

  it('SIGTERM to the CLI alone (a CI timeout): the same, and the fleet and gateway stop with it', async () => {
    const run = startRun();
    const lab = await labOf(run);
    process.kill(run.pid, 'SIGTERM');
    const { code } = await bounded('the CLI to exit', run.exited, GRACE_MS + 20_000);
    expect(code, run.stderr()).toBe(105);
    await expectNothingLeft(lab);
    expectReportOfWhatRan(run.out, 'stopped', 'SIGTERM');
  }, 90_000);

  it('a second Ctrl-C aborts at once (exit 130), stops the children and says how to rebuild the report', async () => {
    const run = startRun();
    const lab = await labOf(run);
    process.kill(-run.pid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    const secondAt = Date.now();
    process.kill(-run.pid, 'SIGINT');
    const { code } = await bounded('the CLI to exit', run.exited, 15_000);
    expect(code, run.stderr()).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(GRACE_MS + 5000);
    expect(run.stderr()).toContain('SL_RUN_ABORTED');
    expect(run.stderr()).toMatch(/stormlab report \S+/);
    expect(existsSync(join(run.out, 'summary.json'))).toBe(false);
    await expectNothingLeft(lab);
    const rebuilt = await cliProcess(['report', run.out], { timeoutMs: 30_000 });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain('interrupted: aborted at once by a second SIGINT');
    expectReportOfWhatRan(run.out, 'aborted', 'SIGINT');
  }, 90_000);

  it('SIGKILL of the CLI: the fleet and gateway notice and exit, freeing their ports; the report rebuilds', async () => {
    const run = startRun();
    const lab = await labOf(run);
    process.kill(run.pid, 'SIGKILL');
    const { signal } = await bounded('the CLI to die', run.exited, 5000);
    expect(signal).toBe('SIGKILL');
    await expectNothingLeft(lab);
    const rebuilt = await cliProcess(['report', run.out], { timeoutMs: 30_000 });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const s = expectReportOfWhatRan(run.out, 'killed', null);
    expect(s.ingest.badLines).toBe(0);
  }, 90_000);

  it('Ctrl-C while the lab starts: what started stops, nothing is reported, exit 105', async () => {
    const run = startRun();
    const fleet = await waitFor('the fleet process', () => childrenOf(run.pid).find((p) => commandOf(p).includes('\0mocks\0')), 40_000);
    started.set(fleet, run.out);
    process.kill(-run.pid, 'SIGINT');
    const { code } = await bounded('the CLI to exit', run.exited, 15_000);
    expect(code, run.stderr()).toBe(105);
    expect(run.stderr()).toContain('SL_RUN_INTERRUPTED: SIGINT before the load started: nothing ran');
    await waitFor('the fleet to end', () => !alive(fleet), 10_000).catch(() => undefined);
    expect(alive(fleet)).toBe(false);
    expect(existsSync(join(run.out, 'summary.json'))).toBe(false);
  }, 60_000);
});

describe('interrupting the other commands that run load', () => {
  const interruptOnce = async (run: Started, ready: string) => {
    await waitFor(`"${ready}" on stderr`, () => run.stderr().includes(ready), 90_000);
    await new Promise((r) => setTimeout(r, 1500));
    const children = childrenOf(run.pid);
    expect(children.length).toBeGreaterThan(0);
    process.kill(-run.pid, 'SIGINT');
    const { code } = await bounded('the command to exit', run.exited, 60_000);
    await waitFor('every child to exit', () => children.every((pid) => !alive(pid)) || undefined, 10_000);
    return code;
  };

  it('stormlab gameday: Ctrl-C judges what ran, writes the game-day report, exit 105, no child left', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stormlab-interrupt-gameday-')), 'gd');
    const run = startCli(['gameday', 'primary-region-outage', '--duration', '30s', '--no-alerts', '--out', out], out);
    const code = await interruptOnce(run, 'driver:');
    expect(code).toBe(105);
    expect(run.stdout()).toMatch(/interrupted: the verdicts cover what ran/);
    expect(readJson(join(out, 'gameday.json'))).toBeDefined();
    expect(readJson(join(out, 'summary.json'))?.run?.interrupted?.signal).toBe('SIGINT');
  }, 150_000);

  it('stormlab capacity: Ctrl-C leaves the step under way out, writes the report of the steps that ran, exit 105', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stormlab-interrupt-capacity-')), 'cap');
    const spec = fileURLToPath(new URL('./fixtures/capacity-small.yaml', import.meta.url));
    const run = startCli(['capacity', spec, '--slo', 'ttft p99<700ms', '--step', '4s', '--out', out], out);
    const code = await interruptOnce(run, 'step 01:');
    expect(code).toBe(105);
    expect(run.stderr()).toMatch(/interrupted, left out/);
    expect(readJson(join(out, 'capacity.json'))?.configs?.[0]?.stop).toBe('interrupted');
  }, 150_000);
});
