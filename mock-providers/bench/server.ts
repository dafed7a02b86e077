/**
 * Bench child: one mock fleet process (one endpoint, three constant-latency models, no limits)
 * and, in the same process, a bare fastify route — the yardstick: a same-size JSON body at once
 * (throughput), or the `ttft` model's SSE schedule with almost no work per event (TTFT error).
 * Talks to the orchestrator over IPC: a ready message with the URLs, then stats on request
 * (realised TTFT of the `ttft` model from the ledger and of the yardstick, in-flight peaks); a full
 * GC before each phase (reset).
 */
import type { ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { drainWaits } from '../answer.js';
import { FleetSchema } from '../fleet-schema.js';
import { startFleet } from '../fleet.js';
import { exposedGc } from '../gc-pacing.js';
import { Scheduler } from '../scheduler.js';
import type { LedgerEntry } from '../ledger.js';
import { BENCH_MODELS, type BenchMessage, type ServerReady } from './protocol.js';

const constant = (value: number) => ({ dist: 'constant', value });
const fleetConfig = FleetSchema.parse({
  seed: 1,
  providers: [
    {
      name: 'bench',
      format: 'openai',
      regions: ['local'],
      models: Object.entries(BENCH_MODELS).map(([name, m]) => ({
        name,
        price: { input: 1, output: 2 },
        ttftMs: constant(m.ttftMs),
        itlMs: constant(m.itlMs),
        outputTokens: constant(m.outputTokens),
        maxOutputTokens: Math.max(16_384, m.outputTokens),
      })),
    },
  ],
});

const ttft: number[] = [];
/** realised − configured TTFT of the bare streaming route, ms */
const bareTtft: number[] = [];

/**
 * The TTFT yardstick: a bare route doing almost nothing per event — the `ttft` model's schedule
 * (first event at its TTFT, one every ITL after), OpenAI-shaped chunks built on the spot, timed by
 * the same kind of scheduler the mock uses (its own instance, no GC pacing). Its error is what this
 * machine, this process and Node allow; the mock's error is compared with it. (Plain setTimeout
 * would not do: it fires up to 1 ms early or late, so its errors are not comparable.)
 */
const { ttftMs: BARE_TTFT, itlMs: BARE_ITL, outputTokens: BARE_TOKENS } = BENCH_MODELS.ttft;
const bareClock = new Scheduler();
const bareEvent = (i: number): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bare', object: 'chat.completion.chunk', created: 0, model: 'ttft', choices: [{ index: 0, delta: { content: `tok${i} ` }, finish_reason: null }] })}\n\n`;
function bareStream(res: ServerResponse, arrived: number): void {
  let i = 0;
  const timer = bareClock.timer(() => {
    if (res.destroyed) return;
    if (i === 0) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(bareEvent(0));
      res.socket?.uncork();
      bareTtft.push(performance.now() - arrived - BARE_TTFT);
    } else res.write(bareEvent(i));
    if (++i >= BARE_TOKENS) return void res.end('data: [DONE]\n\n');
    timer.set(arrived + BARE_TTFT + i * BARE_ITL);
  });
  timer.set(arrived + BARE_TTFT);
}

const outcomes = new Map<string, Record<string, number>>();
const onLedger = (e: LedgerEntry): void => {
  const byModel = outcomes.get(e.model ?? '') ?? {};
  byModel[e.outcome] = (byModel[e.outcome] ?? 0) + 1;
  outcomes.set(e.model ?? '', byModel);
  if (e.model === 'ttft' && e.ttftMs !== null) ttft.push(e.ttftMs - BENCH_MODELS.ttft.ttftMs);
};

const fleet = await startFleet(fleetConfig, { ledger: onLedger, control: false });
const mockUrl = fleet.endpoints[0]!.url;

// the yardstick: the same kind of body the mock sends, precomputed
const sample = await (await fetch(`${mockUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'warm up' }] }) })).text();
const bare = Fastify({ logger: false });
bare.post('/v1/chat/completions', (req, reply) => {
  if ((req.body as { stream?: boolean } | null)?.stream === true) {
    const arrived = performance.now();
    reply.hijack();
    return bareStream(reply.raw, arrived);
  }
  void reply.type('application/json').send(sample);
});
await bare.listen({ port: 0, host: '127.0.0.1', backlog: 8192 });
const bareAddr = bare.server.address();
const bareUrl = `http://127.0.0.1:${typeof bareAddr === 'object' && bareAddr ? bareAddr.port : 0}`;

// a full collection between phases, so one phase's garbage is not collected in the next one's window
const fullGc = exposedGc();
const collect = (): void => fullGc?.();

let peak = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const sampler = setInterval(() => (peak = Math.max(peak, fleet.inFlight())), 20);

const send = (m: BenchMessage): void => void process.send?.(m);
process.on('message', (raw) => {
  const m = raw as BenchMessage;
  if (m.type === 'reset') {
    collect();
    peak = 0;
    drainWaits.peak = drainWaits.now;
    loopDelay.reset();
    ttft.length = 0;
    bareTtft.length = 0;
    outcomes.clear();
    send({ type: 'ok' });
  } else if (m.type === 'stats') {
    send({ type: 'stats', ttftErrorsMs: ttft, bareTtftErrorsMs: bareTtft, peakInFlight: peak, inFlight: fleet.inFlight(), outcomes: Object.fromEntries(outcomes), heapMb: process.memoryUsage().rss / 1e6, at: performance.now(), loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } });
  } else if (m.type === 'mem') {
    collect();
    const u = process.memoryUsage();
    const live = (u.heapUsed + u.external) / 1e6; // external includes the array buffers
    send({ type: 'memory', liveMb: live, rssMb: u.rss / 1e6, drainWaiting: drainWaits.now, drainWaitingPeak: drainWaits.peak, inFlight: fleet.inFlight() });
  } else if (m.type === 'cpu') {
    const u = process.cpuUsage();
    send({ type: 'cpu-used', us: u.user + u.system });
  } else if (m.type === 'close') {
    clearInterval(sampler);
    void Promise.all([fleet.close(), bare.close()]).then(() => process.exit(0));
  }
});
const ready: ServerReady = { type: 'ready', mockUrl, bareUrl, sampleBytes: Buffer.byteLength(sample) };
send(ready);
