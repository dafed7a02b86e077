/**
 * `npx tsx gateway/bench/front-door.ts`: the front door's per-request pieces, each beside the
 * way it was done before, in one process and one run (alternating rounds, best of each, so the
 * machine's noise weighs on both): the JSON body parser (fastify's secure-json-parse against
 * JSON.parse with the cheap guard), the chat body's check (the zod schema against the hand check
 * it stands in for), the request deadline (a Node timer per request against the shared list),
 * and the accounting of a served request's usage (label objects spread per call against series
 * found once per target). Prints ns per request for each and the before/after ratio.
 * Env: BENCH_FRONT_DOOR_N (default 100,000 requests a round).
 */
import { availableParallelism, loadavg } from 'node:os';
import Fastify, { type FastifyRequest } from 'fastify';
import { ChatRequestSchema, isPlainChatRequest } from '../domain/request.js';
import type { Target } from '../domain/types.js';
import { jsonBodyParser } from '../http/json-body.js';
import { deadline } from '../pipeline/deadlines.js';
import { costUsd, readUsage } from '../prices.js';
import { createAccountant } from '../telemetry/accounting.js';
import { createGatewayMetrics, type GatewayMetrics } from '../telemetry/metrics.js';

const N = Number(process.env.BENCH_FRONT_DOOR_N ?? 100_000);
const ROUNDS = 5;

/** Chat bodies as the gateway bench sends them: a short system prompt and a question, each different. */
const texts = Array.from({ length: 1024 }, (_, i) =>
  JSON.stringify({
    model: 'bench-model',
    messages: [
      { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
      { role: 'user', content: `Tell me about load testing. ${i.toString(36).padStart(8, '0')}` },
    ],
    max_tokens: 16,
    temperature: 0.7,
  }),
);
const text = (i: number): string => texts[i & 1023] as string;
const bodies = texts.map((t) => JSON.parse(t) as unknown);
const usages = texts.map((_, i) => ({ prompt_tokens: 20 + (i % 7), completion_tokens: 16 }));

const app = Fastify();
const secure = app.getDefaultJsonParser('error', 'error');
const fast = jsonBodyParser(secure);
const request = {} as FastifyRequest;
let sink: unknown;
const done = (err: Error | null, body?: unknown): void => {
  if (err) throw err;
  sink = body;
};

/** How accounting.ts counted before: label objects built and spread on every call. */
function spreadAccountant(metrics: GatewayMetrics) {
  return (usage: unknown, target: Target): number | undefined => {
    const u = readUsage(usage);
    if (!u) return undefined;
    const labels = { upstream: target.upstream.id, model: target.model };
    metrics.tokens.inc({ ...labels, kind: 'input' }, u.promptTokens);
    if (u.cachedTokens > 0) metrics.tokens.inc({ ...labels, kind: 'cached_input' }, u.cachedTokens);
    metrics.tokens.inc({ ...labels, kind: 'output' }, u.completionTokens);
    const cost = costUsd(target.price, u);
    metrics.costUsd.inc(labels, cost);
    return cost;
  };
}
const target = {
  key: 'bench/local:bench-model',
  upstream: { id: 'bench/local' },
  model: 'bench-model',
  price: { input: 1, cachedInput: 1, output: 2 },
} as unknown as Target;
// requests in flight: their deadlines wait on both kinds of timer while the bench sets and clears others
const startedAt = performance.now();
const waiting = Array.from(
  { length: 64 },
  () => [setTimeout(() => undefined, 120_000), deadline(startedAt - 1, 120_000, () => undefined)] as const,
);
const before = spreadAccountant(createGatewayMetrics());
const after = createAccountant(createGatewayMetrics());

type Piece = [name: string, before: (i: number) => void, after: (i: number) => void];
const PIECES: Piece[] = [
  ['JSON body parser', (i) => secure(request, text(i), done), (i) => fast(request, text(i), done)],
  [
    'chat body check',
    (i) => {
      sink = ChatRequestSchema.safeParse(bodies[i & 1023]).success;
    },
    (i) => {
      sink = isPlainChatRequest(bodies[i & 1023]);
    },
  ],
  // as context.ts set and cleared it, with 64 other requests waiting on the same length (as under load)
  [
    'request deadline',
    () => {
      const left = Math.max(0, startedAt + 120_000 - performance.now());
      const t = setTimeout(() => sink = 'deadline', left);
      t.unref();
      clearTimeout(t);
    },
    () => deadline(startedAt, 120_000, () => (sink = 'deadline')).cancel(),
  ],
  ['usage accounting', (i) => before(usages[i & 1023], target), (i) => after(usages[i & 1023], target)],
];

function round(fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fn(i);
  return ((performance.now() - t0) * 1e6) / N;
}

console.log(
  `front door pieces — node ${process.version}, ${N.toLocaleString('en-US')} requests × ${ROUNDS}` +
    ' alternating rounds, best of each' +
    ` (load ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores)`,
);
for (const [name, was, now] of PIECES) {
  round(was);
  round(now);
  let a = Infinity;
  let b = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    a = Math.min(a, round(was));
    b = Math.min(b, round(now));
  }
  const ns = (v: number): string => `${v.toFixed(0).padStart(6)} ns`;
  console.log(`  ${name.padEnd(18)} before ${ns(a)}   now ${ns(b)}   before/now ×${(a / b).toFixed(2)}`);
}
void sink;
for (const [timer, d] of waiting) {
  clearTimeout(timer);
  d.cancel();
}
await app.close();
