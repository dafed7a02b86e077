/**
 * Bench child: one mock fleet process (one endpoint, three constant-latency models, no limits)
 * and, in the same process, a bare fastify route answering a same-size JSON body — the
 * throughput yardstick. Talks to the orchestrator over IPC: a ready message with the URLs, then
 * stats on request (realised TTFT of the `ttft` model from the ledger, in-flight peaks).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { FleetSchema } from '../fleet-schema.js';
import { startFleet } from '../fleet.js';
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
      })),
    },
  ],
});

const ttft: number[] = [];
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
bare.post('/v1/chat/completions', (_req, reply) => {
  void reply.type('application/json').send(sample);
});
await bare.listen({ port: 0, host: '127.0.0.1', backlog: 8192 });
const bareAddr = bare.server.address();
const bareUrl = `http://127.0.0.1:${typeof bareAddr === 'object' && bareAddr ? bareAddr.port : 0}`;

let peak = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const sampler = setInterval(() => (peak = Math.max(peak, fleet.inFlight())), 20);

const send = (m: BenchMessage): void => void process.send?.(m);
process.on('message', (raw) => {
  const m = raw as BenchMessage;
  if (m.type === 'reset') {
    peak = 0;
    loopDelay.reset();
    ttft.length = 0;
    outcomes.clear();
    send({ type: 'ok' });
  } else if (m.type === 'stats') {
    send({ type: 'stats', ttftErrorsMs: ttft, peakInFlight: peak, inFlight: fleet.inFlight(), outcomes: Object.fromEntries(outcomes), heapMb: process.memoryUsage().rss / 1e6, at: performance.now(), loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } });
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
