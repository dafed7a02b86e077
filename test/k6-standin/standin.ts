/**
 * A STAND-IN FOR k6, to check that our k6 bundle runs — not a driver. It runs a bundle for a few
 * seconds the way k6 would, roughly: the init context in each VU (its own thread and vm
 * context), then the scenario's executor starting iterations of the default function, the
 * samples written as `k6 run --out json` writes them. See ./README.md for what it models.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { Agent } from 'undici';
import { VuIo } from './host-io.js';
import { durationMs } from './k6-common.js';
import type { VuCommand, VuEvent, VuInit } from './protocol.js';
import { K6JsonWriter } from './samples-writer.js';

export interface StandinOptions {
  bundle: string;
  /** the `--out json` file to write */
  out: string;
  /** `-e KEY=VALUE`: the bundle's __ENV */
  env: Record<string, string>;
  /** start no iteration after this long (the scenario may be longer) */
  durationMs: number;
  /** VU threads at most (k6 would go up to the scenario's maxVUs); default 16 */
  maxVUs?: number;
  /** longest wait for in-flight iterations at the end; default the scenario's gracefulStop */
  graceMs?: number;
}

export interface StandinResult {
  /** the k6 modules the bundle imported */
  imports: string[];
  /** the bundle's exports */
  exports: string[];
  options: { scenarios?: Record<string, Record<string, unknown>>; thresholds?: Record<string, unknown[]> };
  iterations: number;
  dropped: number;
  interrupted: number;
  /** uncaught errors: VU init, iterations, worker crashes */
  errors: string[];
  console: string[];
  vus: number;
}

interface Vu {
  id: number;
  worker: Worker;
  io: VuIo;
  busy: boolean;
  iterationInScenario: number;
  onDone?: (e: Extract<VuEvent, { kind: 'done' }>) => void;
}

const VU_SOURCE = fileURLToPath(new URL('./vu.ts', import.meta.url));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Start offsets (ms) of an arrival-rate scenario's iterations before `capMs`. */
export function arrivalStarts(sc: Record<string, unknown>, capMs: number): number[] {
  const unit = durationMs(sc.timeUnit, 1000);
  const segments: Array<{ ms: number; from: number; to: number }> = [];
  if (sc.executor === 'constant-arrival-rate') {
    const rate = Number(sc.rate);
    segments.push({ ms: durationMs(sc.duration, 0), from: rate, to: rate });
  } else if (sc.executor === 'ramping-arrival-rate') {
    let from = Number(sc.startRate ?? 0);
    for (const st of sc.stages as Array<{ duration: string; target: number }>) {
      segments.push({ ms: durationMs(st.duration, 0), from, to: st.target });
      from = st.target;
    }
  } else throw new Error(`the stand-in does not model the ${String(sc.executor)} executor`);
  const starts: number[] = [];
  let t = 0;
  let cum = 0;
  for (const s of segments) {
    for (let i = 0; i < s.ms && t < capMs; i++, t++) {
      while (cum >= starts.length - 1e-9) starts.push(t); // (the sum of many small steps drifts)
      cum += (s.from + ((s.to - s.from) * i) / s.ms) / unit;
    }
  }
  return starts;
}

export async function runStandin(opts: StandinOptions): Promise<StandinResult> {
  const work = mkdtempSync(join(tmpdir(), 'k6-standin-'));
  const vuFile = join(work, 'vu.mjs');
  await build({ entryPoints: [VU_SOURCE], outfile: vuFile, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
  const agent = new Agent({ connections: 256 });
  const errors: string[] = [];
  const consoleLines: string[] = [];
  const vus: Vu[] = [];
  let writer: K6JsonWriter | null = null;
  const early: VuEvent[] = [];
  const scenario = { name: 'default', executor: 'unknown', startTime: Date.now() };

  const onPoints = (e: Extract<VuEvent, { kind: 'points' }>) => {
    if (writer) for (const p of e.points) writer.write(p);
    else early.push(e);
  };

  function spawn(id: number): Promise<Extract<VuEvent, { kind: 'ready' }> & { handle: Vu }> {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const init: VuInit = { bundleFile: opts.bundle, vu: id, env: opts.env, scenario, signal, port: port2 };
    const execArgv = ['--experimental-vm-modules', '--no-warnings'];
    const worker = new Worker(vuFile, { workerData: init, transferList: [port2], execArgv });
    const vu: Vu = { id, worker, io: new VuIo(port1, signal, agent), busy: true, iterationInScenario: 0 };
    vus.push(vu);
    return new Promise((resolve, reject) => {
      worker.on('message', (e: VuEvent) => {
        if (e.kind === 'points') onPoints(e);
        else if (e.kind === 'console') consoleLines.push(`${e.level}: ${e.text}`);
        else if (e.kind === 'ready') {
          vu.busy = false;
          resolve({ ...e, handle: vu });
        } else if (e.kind === 'init-failed') reject(new Error(`VU ${id} init failed: ${e.error}`));
        else if (e.kind === 'done') vu.onDone?.(e);
      });
      worker.on('error', (e) => {
        errors.push(`VU ${id} crashed: ${e.stack ?? e.message}`);
        reject(e);
      });
    });
  }

  function run(vu: Vu, cmd: Omit<VuCommand & { kind: 'iterate' }, 'scenario'>): Promise<Extract<VuEvent, { kind: 'done' }>> {
    vu.busy = true;
    return new Promise((resolve) => {
      vu.onDone = (e) => {
        vu.busy = false;
        vu.onDone = undefined;
        const what = cmd.fn === 'default' ? `iteration ${cmd.iterationInTest}` : cmd.fn;
        if (e.error) errors.push(`VU ${vu.id} ${what}: ${e.error}`);
        resolve(e);
      };
      vu.worker.postMessage({ ...cmd, scenario });
    });
  }

  let iterations = 0;
  let dropped = 0;
  let interrupted = 0;
  const inflight = new Set<Promise<unknown>>();
  try {
    // the init context first (k6 reads `options` from it), in VU 1
    const first = await spawn(1);
    const options = first.options as StandinResult['options'];
    const entries = Object.entries(options.scenarios ?? {});
    if (entries.length !== 1) throw new Error(`the stand-in runs one scenario; options.scenarios has ${entries.length}`);
    const [name, sc] = entries[0]!;
    Object.assign(scenario, { name, executor: String(sc.executor) });
    writer = new K6JsonWriter(opts.out, (options.thresholds ?? {}) as Record<string, unknown[]>);
    for (const e of early.splice(0)) onPoints(e as Extract<VuEvent, { kind: 'points' }>);
    const cap = Math.max(1, Math.min(opts.maxVUs ?? 16, Number(sc.maxVUs ?? sc.vus ?? 1)));
    const pre = Math.min(cap, Number(sc.preAllocatedVUs ?? sc.vus ?? 1));
    await Promise.all(Array.from({ length: pre - 1 }, (_, i) => spawn(i + 2)));

    /** setup()'s result, handed to every iteration and teardown */
    let data: string | undefined;
    const withData = () => (data ? { data } : {});
    const once = (fn: 'setup' | 'teardown') => run(vus[0]!, { kind: 'iterate', fn, iterationInTest: 0, iterationInScenario: 0, ...withData() });
    if (first.exports.includes('setup')) data = (await once('setup')).setupData;
    const iterate = (vu: Vu, index: number) => {
      const iterationInScenario = vu.iterationInScenario++;
      const p = run(vu, { kind: 'iterate', fn: 'default', iterationInTest: index, iterationInScenario, ...withData() });
      inflight.add(p);
      void p.then(() => {
        inflight.delete(p);
        iterations++;
      });
      return p;
    };

    const t0 = performance.now();
    scenario.startTime = Date.now();
    const end = Math.min(opts.durationMs, sc.executor === 'constant-vus' ? durationMs(sc.duration, 0) : Infinity);
    if (sc.executor === 'constant-vus') {
      await Promise.all(Array.from({ length: cap - vus.length }, (_, i) => spawn(vus.length + i + 1)));
      let index = 0;
      await Promise.all(
        vus.map(async (vu) => {
          while (performance.now() - t0 < end) await iterate(vu, index++);
        }),
      );
    } else {
      const starts = arrivalStarts(sc, end);
      for (let index = 0; index < starts.length; index++) {
        await sleep(starts[index]! - (performance.now() - t0));
        const idle = vus.find((v) => !v.busy);
        if (idle) iterate(idle, index);
        else if (vus.length < cap) {
          // no free VU: start one more (k6 would have pre-allocated it) and give it this iteration
          const grow = spawn(vus.length + 1).then((r) => iterate(r.handle, index));
          inflight.add(grow);
          void grow.finally(() => inflight.delete(grow));
        } else {
          dropped++;
          const tags = { scenario: name };
          writer.write({ metric: 'dropped_iterations', type: 'counter', contains: 'default', timeMs: Date.now(), value: 1, tags });
        }
      }
    }
    const grace = opts.graceMs ?? durationMs(sc.gracefulStop, 30_000);
    const settled = Promise.all([...inflight]).then(() => true);
    if (!(await Promise.race([settled, sleep(grace).then(() => false)]))) interrupted = vus.filter((v) => v.busy).length;
    if (first.exports.includes('teardown') && !vus[0]!.busy) await once('teardown');
    const { imports, exports } = first;
    return { imports, exports, options, iterations, dropped, interrupted, errors, console: consoleLines, vus: vus.length };
  } finally {
    for (const vu of vus) {
      vu.io.close();
      await vu.worker.terminate();
    }
    await writer?.close();
    await agent.close();
    rmSync(work, { recursive: true, force: true });
  }
}
