/**
 * `npm run bench:gateway`: what the gateway adds to a request, against a floor measured in the
 * same run. Three ways to the same zero-latency upstream (node:http, its own process):
 *
 *   direct        the load generator talks to the upstream itself;
 *   pass-through  a minimal fastify + undici proxy (its own process) — the floor any proxy costs;
 *   gateway       `startGateway`: one route, one virtual key, priority strategy (its own process);
 *   gateway+all   the same with every control on (`controls.ts`: rate limits, pacing, budgets, the cache's miss path —
 *                 a different prompt each request —, the log line), its own process.
 *
 * For non-stream and stream requests, at concurrency 1, 16 and 64 (closed loops over an undici
 * Pool, a fixed time per cell after a warm-up; the three measured one after the other at each
 * level, so the machine's noise hits them alike; concurrency 1 in alternating rounds, each way's
 * quietest shown): latency p50/p99, throughput, and the CPU time
 * per request of the process in front of the upstream (process.cpuUsage in that process, over
 * IPC). Then the gateway/pass-through ratios and the goals, each marked met or missed (Gateway I's for
 * the plain gateway; CPU per request ≤ 2× the pass-through's for gateway+all).
 *
 *   --bundled  also the plain gateway as one esbuild bundle run by node, beside the same code through tsx
 *   --profile  sample the CPU profiles of the gateway and the pass-through while they serve
 *              (inspector, from ready to close) and print their top self-time functions;
 *              the profiler costs CPU, so take the figures from a run without it
 *   --keep-profile  also keep the .cpuprofile files (open them in Chrome DevTools)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { nextMessage } from '../../core/child-message.js';
import { closedLoop, quantile, type Cell, type Shot } from './load.js';
import { bundleGateway } from './bundle.js';
import { CONTROLS } from './controls.js';
import { topSelfTime } from './profile.js';
import { BENCH_KEY, BENCH_MODEL, PROFILE_ENV, cpuUs, type BenchMessage } from './protocol.js';

const CELL_MS = 3000;
/** concurrency 1 runs as this many alternating rounds (CELL_MS in all); each way's quietest round is shown */
const C1_ROUNDS = 3;
const WARM_MS = 1500;
const LEVELS = [1, 16, 64] as const;
const DEADLINE_MS = 240_000;
const GOAL = { addedP99Ms: 0.5, cpuRatio: 1.5, throughputRatio: 0.67, allControlsCpuRatio: 2 };

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));
const children: ChildProcess[] = [];

/** A bench server in its own process: a TypeScript file through tsx, or an absolute path to a JS bundle. */
function child(file: string, args: string[], profile?: string): ChildProcess {
  const env = profile ? { ...process.env, [PROFILE_ENV]: profile } : process.env;
  const run = file.endsWith('.mjs') ? [file] : ['--import', 'tsx', here(file)];
  const c = spawn(process.execPath, [...run, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  children.push(c);
  return c;
}

const next = <T extends BenchMessage>(c: ChildProcess, type: T['type']): Promise<T> => nextMessage<T>(c, type);

/** ns the process's main thread has spent waiting in a run queue for a core (Linux schedstat), NaN elsewhere */
function runQueueNs(c: ChildProcess): number {
  try {
    return Number(readFileSync(`/proc/${c.pid}/task/${c.pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return Number.NaN;
  }
}


interface Way {
  name: 'direct' | 'pass-through' | 'gateway' | 'gateway+all' | 'gateway bundled';
  url: string;
  /** the way's own request (gateway+all: a fresh prompt each time, so the cache misses) */
  shot?: (stream: boolean) => Shot;
  /** the process in front of the upstream (none for direct) */
  proc?: ChildProcess;
  pool: Pool;
}

interface Measured {
  cell: Cell;
  /** CPU of the process in front of the upstream per request, µs */
  cpuUs?: number;
  upstreamCpuUs: number;
  loadCpuUs: number;
  /** time the process in front of the upstream waited for a core (run queue) per request, µs */
  waitUs?: number;
  /** p99 of each round, ms (concurrency 1) */
  roundP99s?: number[];
}

const perS = (m: Measured): number => (m.cell.requests * 1000) / m.cell.durationMs;
const p = (m: Measured, q: number): number => quantile(m.cell.latencyUs, q) / 1000;

function bodyOf(stream: boolean, prompt: string): string {
  const messages = [{ role: 'user', content: prompt }];
  const body: Record<string, unknown> = { model: BENCH_MODEL, messages, max_tokens: 16 };
  // the client asks for the usage chunk, so every way delivers the same events
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return JSON.stringify(body);
}

const PROMPT = 'Tell me about load testing.';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` };

function shot(stream: boolean): Shot {
  return { path: '/v1/chat/completions', headers: HEADERS, body: bodyOf(stream, PROMPT), stream };
}

/** The same request with a different prompt each time (same length), so a response cache misses. */
function variedShot(stream: boolean): Shot {
  let n = 0;
  const body = (): string => bodyOf(stream, `${PROMPT} ${(n++).toString(36).padStart(8, '0')}`);
  return { path: '/v1/chat/completions', headers: HEADERS, body, stream };
}

async function measure(way: Way, upstream: ChildProcess, s: Shot, concurrency: number, ms = CELL_MS): Promise<Measured> {
  const before = await Promise.all([way.proc ? cpuUs(way.proc) : 0, cpuUs(upstream)]);
  const self = process.cpuUsage();
  const waited = way.proc ? runQueueNs(way.proc) : Number.NaN;
  const cell = await closedLoop(way.pool, s, concurrency, ms);
  const load = process.cpuUsage(self);
  const waitUs = way.proc ? (runQueueNs(way.proc) - waited) / 1000 : Number.NaN;
  const after = await Promise.all([way.proc ? cpuUs(way.proc) : 0, cpuUs(upstream)]);
  if (cell.errors > 0) {
    throw new Error(`${way.name}, concurrency ${concurrency}: ${cell.errors} failed requests, the first: ${cell.firstError}`);
  }
  const n = Math.max(1, cell.requests);
  return {
    cell,
    ...(way.proc ? { cpuUs: (after[0] - before[0]) / n } : {}),
    ...(Number.isFinite(waitUs) ? { waitUs: waitUs / n } : {}),
    upstreamCpuUs: (after[1] - before[1]) / n,
    loadCpuUs: (load.user + load.system) / n,
  };
}

type Results = Map<string, Map<number, Measured>>;

/**
 * The quietest of a way's rounds (lowest p99: the machine is shared, a neighbour's burst lands
 * in some rounds), with CPU and run-queue wait per request over all of them.
 */
function quietest(rounds: Measured[]): Measured {
  const best = rounds.reduce((a, r) => (p(r, 0.99) < p(a, 0.99) ? r : a));
  const n = rounds.reduce((a, r) => a + r.cell.requests, 0);
  const mean = (k: 'cpuUs' | 'waitUs'): number | undefined =>
    best[k] === undefined ? undefined : rounds.reduce((a, r) => a + (r[k] ?? 0) * r.cell.requests, 0) / Math.max(1, n);
  const cpuUs = mean('cpuUs');
  const waitUs = mean('waitUs');
  return {
    ...best,
    ...(cpuUs === undefined ? {} : { cpuUs }),
    ...(waitUs === undefined ? {} : { waitUs }),
    roundP99s: rounds.map((r) => p(r, 0.99)),
  };
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ratio = (x: number): string => (Number.isFinite(x) ? `×${x.toFixed(2)}` : '–');
const cols = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(30) : c.padStart(11))).join('');

function table(mode: string, r: Results): string[] {
  const at = (name: string, c: number): Measured => r.get(name)!.get(c)!;
  const lines = [
    `${mode} (latency in ms, request start to last byte; CPU in µs per request of the process in front of the upstream)`,
    cols(['', 'c=1 p50', 'c=1 p99', 'c=1 CPU', 'c=16 req/s', 'c=16 p99', 'c=16 CPU', 'c=64 req/s', 'c=64 p99', 'c=64 CPU']),
  ];
  for (const name of r.keys()) {
    const [a, b, c] = LEVELS.map((l) => at(name, l)) as [Measured, Measured, Measured];
    const cpu = (m: Measured): string => (m.cpuUs === undefined ? '–' : int(m.cpuUs));
    const busy = (m: Measured): string[] => [int(perS(m)), f2(p(m, 0.99)), cpu(m)];
    lines.push(cols([name, f2(p(a, 0.5)), f2(p(a, 0.99)), cpu(a), ...busy(b), ...busy(c)]));
  }
  const cpu = (m: Measured): number => m.cpuUs ?? Number.NaN;
  for (const name of ['gateway', 'gateway+all', 'gateway bundled'].filter((n) => r.has(n))) {
    const q = (l: number, fn: (m: Measured) => number): string => ratio(fn(at(name, l)) / fn(at('pass-through', l)));
    const p50 = (m: Measured): number => p(m, 0.5);
    const p99 = (m: Measured): number => p(m, 0.99);
    const busy = [16, 64].flatMap((l) => [q(l, perS), q(l, p99), q(l, cpu)]);
    lines.push(cols([`${name}/pass-through`, q(1, p50), q(1, p99), q(1, cpu), ...busy]));
  }
  const servers = [...r.keys()].filter((n) => n !== 'direct');
  const wait = (name: string): string => int(at(name, 1).waitUs ?? Number.NaN);
  const roundP99s = (name: string): string => `${name} ${(at(name, 1).roundP99s ?? []).map(f2).join(', ')}`;
  lines.push(
    `  c=1 is the quietest of ${C1_ROUNDS} alternating rounds of ${f2(CELL_MS / C1_ROUNDS / 1000)} s (lowest p99); p99 of each round: ` +
      [...r.keys()].map(roundP99s).join('; '),
  );
  lines.push(
    `  at c=1: the server's main thread waited for a core ${servers.map(wait).join('/')} µs per request ` +
      `(${servers.join('/')}, run queue): the machine's share of the latency, not the code's`,
  );
  const each64 = (fn: (m: Measured) => number): string => [...r.keys()].map((name) => int(fn(at(name, 64)))).join('/');
  lines.push(
    `  at c=64: upstream CPU ${each64((m) => m.upstreamCpuUs)} µs per request (${[...r.keys()].join('/')}), ` +
      `load generator ${each64((m) => m.loadCpuUs)} µs; ` +
      `requests per cell ${[1, 16, 64].map((l) => int(at('gateway', l).cell.requests)).join(', ')} (gateway)`,
  );
  return lines;
}

function goals(byMode: Array<[string, Results]>): string[] {
  const lines = ['goals (non-stream; stream):'];
  const each = (fn: (r: Results) => number): number[] => byMode.map(([, r]) => fn(r));
  const at = (r: Results, name: string, c: number): Measured => r.get(name)!.get(c)!;
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const added = each((r) => p(at(r, 'gateway', 1), 0.99) - p(at(r, 'direct', 1), 0.99));
  const overFloor = each((r) => p(at(r, 'gateway', 1), 0.99) - p(at(r, 'pass-through', 1), 0.99));
  lines.push(
    `  added p99 at c=1 (gateway − direct) ≤ ${GOAL.addedP99Ms} ms: ${added.map((x) => `${f2(x)} ms`).join('; ')} — ` +
      `${mark(added.every((x) => x <= GOAL.addedP99Ms))} (over the pass-through: ${overFloor.map((x) => `${f2(x)} ms`).join('; ')})`,
  );
  const cpu = each((r) => (at(r, 'gateway', 64).cpuUs ?? Number.NaN) / (at(r, 'pass-through', 64).cpuUs ?? Number.NaN));
  const cpu1 = each((r) => (at(r, 'gateway', 1).cpuUs ?? Number.NaN) / (at(r, 'pass-through', 1).cpuUs ?? Number.NaN));
  lines.push(
    `  CPU per request ≤ ${GOAL.cpuRatio}× the pass-through's (c=64): ${cpu.map(ratio).join('; ')} — ` +
      `${mark(cpu.every((x) => x <= GOAL.cpuRatio))}` +
      ` (at c=1: ${cpu1.map(ratio).join('; ')})`,
  );
  const tp = each((r) => perS(at(r, 'gateway', 64)) / perS(at(r, 'pass-through', 64)));
  lines.push(
    `  throughput at c=64 ≥ ${GOAL.throughputRatio}× the pass-through's: ${tp.map(ratio).join('; ')} — ` +
      `${mark(tp.every((x) => x >= GOAL.throughputRatio))}`,
  );
  /** CPU per request of `name` over `base`'s at concurrency `c`, per mode */
  const cpuOver = (name: string, base: string, c: number): number[] =>
    each((r) => (at(r, name, c).cpuUs ?? Number.NaN) / (at(r, base, c).cpuUs ?? Number.NaN));
  const all = cpuOver('gateway+all', 'pass-through', 64);
  const goal = GOAL.allControlsCpuRatio;
  lines.push(
    `  every control on (${Object.keys(CONTROLS).join(', ')}): CPU per request ≤ ${goal}× the pass-through's (c=64): ` +
      `${all.map(ratio).join('; ')} — ${mark(all.every((x) => x <= goal))}` +
      ` (at c=1: ${cpuOver('gateway+all', 'pass-through', 1).map(ratio).join('; ')})`,
  );
  if (byMode.every(([, r]) => r.has('gateway bundled'))) {
    const b = (c: number): string => cpuOver('gateway bundled', 'gateway', c).map(ratio).join('; ');
    lines.push(`  (the same gateway bundled by esbuild, CPU per request against tsx's at c=64: ${b(64)}; at c=1: ${b(1)})`);
  }
  return lines;
}

async function main(): Promise<void> {
  const profile = process.argv.includes('--profile');
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  const out = (l = ''): void => void process.stdout.write(`${l}\n`);
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  out(`stormlab gateway bench — node ${process.version}, ${availableParallelism()} CPUs (${cpu}), load average ${load()}`);

  const upstream = child('./upstream.ts', []);
  const upUrl = (await next<Extract<BenchMessage, { type: 'ready' }>>(upstream, 'ready')).url;
  const profDir = profile ? mkdtempSync(join(tmpdir(), 'stormlab-gw-prof-')) : undefined;
  const profiles = profDir
    ? {
      gateway: join(profDir, 'gateway.cpuprofile'),
      'gateway+all': join(profDir, 'gateway-all.cpuprofile'),
      'pass-through': join(profDir, 'pass-through.cpuprofile'),
    }
    : undefined;
  const pass = child('./passthrough.ts', [upUrl], profiles?.['pass-through']);
  const gw = child('./gateway.ts', [upUrl, 'plain'], profiles?.gateway);
  const gwAll = child('./gateway.ts', [upUrl, 'all'], profiles?.['gateway+all']);
  const gwBundled = process.argv.includes('--bundled') ? child(await bundleGateway(), [upUrl, 'plain']) : undefined;
  const urlOf = async (c: ChildProcess): Promise<string> => (await next<Extract<BenchMessage, { type: 'ready' }>>(c, 'ready')).url;
  const [passUrl, gwUrl, allUrl] = await Promise.all([urlOf(pass), urlOf(gw), urlOf(gwAll)]);
  const pool = (url: string): Pool => new Pool(url, { connections: Math.max(...LEVELS), pipelining: 1 });
  const ways: Way[] = [
    { name: 'direct', url: upUrl, pool: pool(upUrl) },
    { name: 'pass-through', url: passUrl!, proc: pass, pool: pool(passUrl!) },
    { name: 'gateway', url: gwUrl!, proc: gw, pool: pool(gwUrl!) },
    { name: 'gateway+all', url: allUrl!, proc: gwAll, pool: pool(allUrl!), shot: variedShot },
  ];
  if (gwBundled) {
    const url = await urlOf(gwBundled);
    ways.push({ name: 'gateway bundled', url, proc: gwBundled, pool: pool(url) });
  }
  out('upstream: node:http, zero latency — a chat completion, or 8 SSE events (role, 4 content, finish, usage, [DONE]) one per loop turn');
  out(`load: undici Pool (${Math.max(...LEVELS)} connections), closed loops, ${CELL_MS / 1000} s per cell after a ${WARM_MS / 1000} s warm-up;` +
    ` each server in its own process${profile ? '; the gateways and the pass-through CPU-profiled (their figures include the profiler)' : ''}`);

  const byMode: Array<[string, Results]> = [];
  for (const [mode, stream] of [['non-stream', false], ['stream', true]] as const) {
    const shots = new Map(ways.map((w) => [w.name, (w.shot ?? shot)(stream)]));
    const s = (w: Way): Shot => shots.get(w.name)!;
    for (const w of ways) await closedLoop(w.pool, s(w), 16, WARM_MS);
    const r: Results = new Map(ways.map((w) => [w.name, new Map()]));
    const rounds = new Map<string, Measured[]>(ways.map((w) => [w.name, []]));
    for (let i = 0; i < C1_ROUNDS; i++) {
      for (const w of ways) rounds.get(w.name)!.push(await measure(w, upstream, s(w), 1, CELL_MS / C1_ROUNDS));
    }
    for (const w of ways) r.get(w.name)!.set(1, quietest(rounds.get(w.name)!));
    for (const c of LEVELS.filter((l) => l > 1)) for (const w of ways) r.get(w.name)!.set(c, await measure(w, upstream, s(w), c));
    byMode.push([mode, r]);
    out();
    for (const l of table(mode, r)) out(l);
  }
  out();
  for (const l of goals(byMode)) out(l);
  out(`(load average at the end: ${load()}; figures from a shared machine vary with what else runs on it)`);

  await Promise.all(ways.map((w) => w.pool.close()));
  await Promise.all([gw, gwAll, ...(gwBundled ? [gwBundled] : []), pass, upstream].map(async (c) => {
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.send({ type: 'close' } satisfies BenchMessage);
    await exited;
  }));
  if (profDir && profiles) {
    const shown = [
      ['gateway', profiles.gateway, 25],
      ['gateway+all', profiles['gateway+all'], 25],
      ['pass-through', profiles['pass-through'], 10],
    ] as const;
    for (const [name, file, n] of shown) {
      const { busyMs, top } = topSelfTime(file, n);
      out();
      out(`${name} process, top self time (of ${int(busyMs)} ms busy while serving):`);
      for (const t of top) out(`${t.pct.toFixed(1).padStart(6)}% ${int(t.ms).padStart(7)} ms  ${t.name}`);
    }
    if (process.argv.includes('--keep-profile')) out(`(profiles kept in ${profDir})`);
    else rmSync(profDir, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  console.error(`bench:gateway did not finish within ${DEADLINE_MS / 1000} s`);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
}, DEADLINE_MS);
main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => {
    clearTimeout(deadline);
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  });
