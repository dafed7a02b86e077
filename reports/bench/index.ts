/**
 * `npm run bench:report`: ingest throughput (goal ≥ 300,000 points/s) and peak memory for
 * 10 million points (goal < 300 MB). Points are generated here, streamed, never held: a run of
 * synthetic requests (11 points each, the native driver's mix and tag sets) at 1,000 requests/s.
 *
 * Phases: in-memory lines (the fast path, k6's own layout, the full-JSON path for comparison),
 * a plain and a gzip file through the real reader, then 10M points in a child process so its
 * peak RSS (VmHWM) is the ingest's alone. Bounded to a few minutes on 2 cores; --quick does 1M.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { mulberry32 } from '../../core/random.js';
import { createAggregate } from '../aggregate.js';
import { ingestInto, ingestSamples } from '../ingest.js';
import { summarize } from '../summarize.js';

const GOAL_POINTS_PER_S = 300_000;
const GOAL_PEAK_MB = 300;
const POINTS_PER_REQUEST = 11;
const T0 = Date.UTC(2026, 10, 21, 17, 36, 0);

type Layout = 'stormlab' | 'k6' | 'spaced';

const TAG_SETS: string[] = [];
for (const [provider, region] of [['openai', 'us-east'], ['openai', 'eu-west'], ['azure', 'eastus'], ['azure', 'westeurope']]) {
  for (const cls of ['chat', 'summarize', 'code']) {
    for (const cache of ['miss', 'exact']) {
      TAG_SETS.push(JSON.stringify({ scenario: 'baseline', class: cls, model: 'gpt-4.1-mini', stream: 'true', status: '200', provider, region, cache }));
    }
  }
}
const METRICS = ['http_reqs', 'http_req_failed', 'http_req_duration', 'e2e', 'ttft', 'itl', 'attempts', 'cache_hit', 'tokens_in', 'tokens_out', 'cost_usd'];

function line(layout: Layout, metric: string, time: string, value: number, tags: string): string {
  if (layout === 'k6') return `{"type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}},"metric":"${metric}"}`;
  if (layout === 'spaced') return `{"type": "Point","metric":"${metric}","data":{"time":"${time}","value":${value},"tags":${tags}}}`;
  return `{"type":"Point","metric":"${metric}","data":{"time":"${time}","value":${value},"tags":${tags}}}`;
}

/** Batches of sample lines for `points` points, generated on the fly. */
function* sampleBatches(points: number, layout: Layout = 'stormlab', seed = 1): Generator<string[]> {
  const r = mulberry32(seed);
  const requests = Math.ceil(points / POINTS_PER_REQUEST);
  let emitted = 0;
  let batch: string[] = [];
  let secondKey = -1;
  let secondText = '';
  for (let i = 0; i < requests && emitted < points; i++) {
    const atMs = T0 + i; // 1,000 requests per second
    const second = Math.floor(atMs / 1000);
    if (second !== secondKey) {
      secondKey = second;
      secondText = new Date(second * 1000).toISOString().slice(0, 19);
    }
    const time = `${secondText}.${String((atMs % 1000) * 1000 + Math.floor(r() * 1000)).padStart(6, '0')}Z`;
    const tags = TAG_SETS[i % TAG_SETS.length] as string;
    const ttft = 150 + 400 * r() * r();
    const values = [1, r() < 0.01 ? 1 : 0, ttft + 900 * r(), ttft + 1000 * r(), ttft, 8 + 10 * r(), r() < 0.05 ? 2 : 1, r() < 0.3 ? 1 : 0, Math.floor(2000 * r()), Math.floor(400 * r()), r() / 1000];
    for (let m = 0; m < METRICS.length && emitted < points; m++, emitted++) batch.push(line(layout, METRICS[m] as string, time, values[m] as number, tags));
    if (batch.length >= 8192) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function linesOf(points: number, layout: Layout): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      for (const b of sampleBatches(points, layout)) yield* b;
    },
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? '✓' : '✗');

/** Points/s of ingest alone: a pool of lines is generated first, then ingested `rounds` times (after a warm-up). */
async function inMemory(layout: Layout, poolPoints = 250_000, rounds = 4): Promise<number> {
  const pool: string[] = [];
  for (const b of sampleBatches(poolPoints, layout)) for (const l of b) pool.push(l);
  await ingestSamples(pool); // warm-up: let the JIT settle
  const agg = createAggregate({ startMs: T0 });
  const t = performance.now();
  for (let r = 0; r < rounds; r++) await ingestInto(agg, pool);
  const s = (performance.now() - t) / 1000;
  if (agg.points !== pool.length * rounds || agg.bad.count !== 0) throw new Error(`bench: ingested ${agg.points} of ${pool.length * rounds} points, ${agg.bad.count} bad`);
  return agg.points / s;
}

async function writeFile(path: string, points: number, gzip: boolean): Promise<void> {
  const source = Readable.from(
    (function* () {
      for (const b of sampleBatches(points)) yield `${b.join('\n')}\n`;
    })(),
  );
  const out = createWriteStream(path);
  if (gzip) await pipeline(source, createGzip({ level: 1 }), out);
  else await pipeline(source, out);
}

async function fromFile(path: string, points: number): Promise<number> {
  const t = performance.now();
  const agg = await ingestSamples(path);
  const s = (performance.now() - t) / 1000;
  if (agg.points !== points) throw new Error(`bench: read ${agg.points} of ${points} points from ${path}`);
  return points / s;
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

/** The child: ingest `points` streamed points and report peak RSS. */
async function memoryPhase(points: number): Promise<void> {
  const startMb = process.memoryUsage().rss / 1024 / 1024;
  const agg = createAggregate({ startMs: T0 });
  const t = performance.now();
  await ingestInto(agg, linesOf(points, 'stormlab'));
  const s = (performance.now() - t) / 1000;
  const summary = summarize(agg);
  process.stdout.write(`${JSON.stringify({ points: agg.points, seconds: s, startMb, peakMb: peakRssMb(), p99: summary.latency.ttft_ms.p99, runSeconds: summary.timeseries.length })}\n`);
}

async function memoryInChild(points: number): Promise<{ points: number; seconds: number; startMb: number; peakMb: number; runSeconds: number }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--memory-phase', String(points)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench: the memory phase exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() as string);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const big = quick ? 1_000_000 : 10_000_000;
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`stormlab report ingest bench — node ${process.version}, ${cpus().length} cores (load average ${load}), ${POINTS_PER_REQUEST} points per request, ${TAG_SETS.length} tag sets`);
  console.log('wall-clock figures: a busy machine reads lower\n');

  const fast = await inMemory('stormlab');
  const k6 = await inMemory('k6');
  const full = await inMemory('spaced', 100_000, 4);
  console.log('in memory (ingest alone: lines generated first, 1M points ingested after a warm-up):');
  console.log(`  stormlab layout (fast path)   ${fmt(fast).padStart(10)} points/s`);
  console.log(`  k6 --out json layout          ${fmt(k6).padStart(10)} points/s`);
  console.log(`  full JSON.parse path          ${fmt(full).padStart(10)} points/s  (fast path ${(fast / full).toFixed(2)}× faster)`);

  const dir = mkdtempSync(join(tmpdir(), 'stormlab-bench-'));
  try {
    const filePoints = 1_000_000;
    const plain = join(dir, 'samples.ndjson');
    const gz = join(dir, 'samples.ndjson.gz');
    await writeFile(plain, filePoints, false);
    await writeFile(gz, filePoints, true);
    const fromPlain = await fromFile(plain, filePoints);
    const fromGz = await fromFile(gz, filePoints);
    console.log(`\nfrom a file (stream, split, ingest), ${fmt(filePoints)} points:`);
    console.log(`  plain  ${(statSync(plain).size / 1e6).toFixed(0).padStart(4)} MB     ${fmt(fromPlain).padStart(10)} points/s`);
    console.log(`  gzip   ${(statSync(gz).size / 1e6).toFixed(0).padStart(4)} MB     ${fmt(fromGz).padStart(10)} points/s`);
    console.log(`  goal ≥ ${fmt(GOAL_POINTS_PER_S)} points/s from a plain file: ${verdict(fromPlain >= GOAL_POINTS_PER_S)} (${(fromPlain / GOAL_POINTS_PER_S).toFixed(2)}× the goal)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const m = await memoryInChild(big);
  const rate = m.points / m.seconds;
  console.log(`\n${fmt(m.points)} points streamed (${fmt(m.runSeconds)} s of run at 1,000 requests/s), in a child process:`);
  console.log(`  time ${m.seconds.toFixed(1)} s, ${fmt(rate)} points/s including generating the lines`);
  console.log(`  peak RSS ${m.peakMb.toFixed(0)} MB (the process held ${m.startMb.toFixed(0)} MB before ingest)`);
  console.log(`  goal < ${GOAL_PEAK_MB} MB: ${verdict(m.peakMb < GOAL_PEAK_MB)} (${(m.peakMb / GOAL_PEAK_MB).toFixed(2)}× the limit)`);
  if (quick) console.log('  (--quick: 1M points, not 10M)');
}

const phase = process.argv.indexOf('--memory-phase');
if (phase !== -1) await memoryPhase(Number(process.argv[phase + 1]));
else await main();
