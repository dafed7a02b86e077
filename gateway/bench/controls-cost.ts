/**
 * `npm run bench:controls`: what each control of `controls.ts` costs the gateway per request.
 *
 * One zero-latency upstream (upstream.ts) and one gateway process per configuration (gateway.ts):
 * the plain gateway (the baseline), each control alone, and all of them. Every request carries a
 * different prompt (so the cache runs its miss path), for every configuration alike. The
 * configurations are measured in interleaved rounds (closed loops, a fixed time each), so the
 * shared machine's noise lands on all of them; a control's cost is the median over rounds of its
 * CPU per request minus the baseline's in the same round.
 *
 *   --stream       stream requests (default: JSON)
 *   --rounds N     rounds (default 5)
 *   --ms N         ms per configuration per round (default 1500)
 *   --concurrency N (default 64)
 *   --work         instead: each control's own work in process, no HTTP (controls-work.ts)
 *   --only NAME    with --work: that control alone (beside the baseline)
 *   --sets A,B     instead of each control alone and all: these sets of controls, each named as
 *                  gateway.ts takes them (`rate limits+cache`), comma-separated
 *   --profile      sample the all-controls gateway's CPU profile and print its top self-time functions
 *                  (the profiler costs CPU: take the figures from a run without it)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { nextMessage } from '../../core/child-message.js';
import { CONTROLS } from './controls.js';
import { closedLoop, type Shot } from './load.js';
import { topSelfTime } from './profile.js';
import { BENCH_KEY, BENCH_MODEL, PROFILE_ENV, cpuUs, type BenchMessage } from './protocol.js';

const { values } = parseArgs({
  options: {
    stream: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    ms: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '64' },
    profile: { type: 'boolean', default: false },
    work: { type: 'boolean', default: false },
    only: { type: 'string' },
    sets: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const CELL_MS = Number(values.ms);
const CONCURRENCY = Number(values.concurrency);
const WARM_MS = 3000;

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));
const children: ChildProcess[] = [];

function child(file: string, args: string[], profile?: string): ChildProcess {
  const env = profile ? { ...process.env, [PROFILE_ENV]: profile } : process.env;
  const c = spawn(process.execPath, ['--import', 'tsx', here(file), ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  children.push(c);
  return c;
}

const next = <T extends BenchMessage>(c: ChildProcess, type: T['type']): Promise<T> => nextMessage<T>(c, type);


/** A different prompt each time (same length), so a response cache misses. */
function variedShot(stream: boolean): Shot {
  let n = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` };
  const body = (): string => {
    const content = `Tell me about load testing. ${(n++).toString(36).padStart(8, '0')}`;
    const b: Record<string, unknown> = { model: BENCH_MODEL, messages: [{ role: 'user', content }], max_tokens: 16 };
    if (stream) Object.assign(b, { stream: true, stream_options: { include_usage: true } });
    return JSON.stringify(b);
  };
  return { path: '/v1/chat/completions', headers, body, stream };
}

interface Config {
  name: string;
  arg: string;
  proc: ChildProcess;
  pool: Pool;
  /** CPU µs per request, one per round */
  cpu: number[];
}

async function measure(c: Config, shot: Shot, ms: number): Promise<number> {
  const before = await cpuUs(c.proc);
  const cell = await closedLoop(c.pool, shot, CONCURRENCY, ms);
  const after = await cpuUs(c.proc);
  if (cell.errors > 0) throw new Error(`${c.name}: ${cell.errors} failed requests, the first: ${cell.firstError}`);
  return (after - before) / Math.max(1, cell.requests);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function work(): Promise<void> {
  const { measureWork } = await import('./controls-work.js');
  const rows = await measureWork(ROUNDS, values.only);
  console.log(`\nbench:controls --work — each control's work in process, ${ROUNDS} rounds (CPU µs per request)`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const r of rows) console.log(`${r.name.padEnd(20)}${r.us.toFixed(2).padStart(10)}`);
  const sum = rows.slice(1).reduce((a, r) => a + r.us, 0);
  console.log(`${'all five'.padEnd(20)}${sum.toFixed(2).padStart(10)}`);
}

async function main(): Promise<void> {
  if (values.work) return work();
  const stream = values.stream === true;
  const upstream = child('upstream.ts', []);
  const upUrl = (await next<Extract<BenchMessage, { type: 'ready' }>>(upstream, 'ready')).url;
  const sets = values.sets?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const wanted: Array<[string, string]> = [
    ['gateway', 'plain'],
    ...(sets ?? Object.keys(CONTROLS)).map((n): [string, string] => [`+ ${n}`, n]),
    ...(sets ? [] : [['+ all controls', 'all'] as [string, string]]),
  ];
  const configs: Config[] = [];
  const dir = values.profile ? mkdtempSync(join(tmpdir(), 'stormlab-controls-')) : undefined;
  const profile = dir ? join(dir, 'all.cpuprofile') : undefined;
  for (const [name, arg] of wanted) {
    const proc = child('gateway.ts', [upUrl, arg], arg === 'all' ? profile : undefined);
    const url = (await next<Extract<BenchMessage, { type: 'ready' }>>(proc, 'ready')).url;
    configs.push({ name, arg, proc, pool: new Pool(url, { connections: CONCURRENCY }), cpu: [] });
  }
  const shot = variedShot(stream);
  for (const c of configs) await measure(c, shot, WARM_MS);
  for (let r = 0; r < ROUNDS; r++) {
    // a different order each round, so no configuration always follows the same neighbour
    const order = r % 2 === 0 ? configs : [...configs].reverse();
    for (const c of order) c.cpu.push(await measure(c, shot, CELL_MS));
  }
  const base = configs[0] as Config;
  const mode = stream ? 'stream' : 'non-stream';
  const cells = `${ROUNDS} rounds × ${CELL_MS} ms per configuration`;
  console.log(`\nbench:controls — ${mode}, concurrency ${CONCURRENCY}, ${cells}`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const head = ['CPU µs/req'.padStart(12), 'added µs'.padStart(10), 'rounds (µs/req)'.padStart(18)];
  console.log(`${''.padEnd(20)}${head.join('')}`);
  for (const c of configs) {
    const added = c === base ? '' : median(c.cpu.map((x, i) => x - (base.cpu[i] as number))).toFixed(1);
    const rounds = c.cpu.map((x) => x.toFixed(0)).join(' ');
    console.log(`${c.name.padEnd(20)}${median(c.cpu).toFixed(1).padStart(12)}${added.padStart(10)}   ${rounds}`);
  }
  if (!sets) {
    const alone = configs.slice(1, -1);
    const parts = alone.reduce((a, c) => a + median(c.cpu.map((x, i) => x - (base.cpu[i] as number))), 0);
    console.log(`sum of the controls alone: +${parts.toFixed(1)} µs`);
  }
  for (const c of configs) await c.pool.close();
  const closing = [...configs.map((c) => c.proc), upstream].map(async (p) => {
    const done = next(p, 'closed');
    p.send({ type: 'close' } satisfies BenchMessage);
    await done;
  });
  await Promise.all(closing);
  if (profile && dir) {
    const { busyMs, top } = topSelfTime(profile, 40);
    console.log(`\nall controls: top self time (busy ${busyMs.toFixed(0)} ms)`);
    for (const t of top) console.log(`${t.pct.toFixed(1).padStart(6)} %  ${t.name}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  for (const c of children) c.kill();
  process.exitCode = 1;
});
