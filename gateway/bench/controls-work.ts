/**
 * `npm run bench:controls -- --work`: each control's own work per request, in process, with the
 * classes and stages the gateway runs (the bench's all-controls config of `controls.ts`): no HTTP,
 * so the figures hold still enough on a shared machine to compare one change with the next.
 *
 *   rate limits  admitRateLimits + RateLimits.settle (two limits)
 *   budgets      admitBudget + Budgets.settle (a daily budget; spend attributed)
 *   pacing       pace() of an attempt on the paced upstream
 *   cache        lookupCache (a miss: a new prompt each time) + writeBack of the answer
 *   logs         logRequest: one pino line to the null device, through the gateway's log destination
 *
 * Each is timed as CPU µs per request (process.cpuUsage: the log's writes on libuv's threads
 * count) over closed loops of a fresh request context per request, one event-loop turn apart —
 * against the same loop making the context only, measured in the same rounds.
 */
import { devNull } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { Budgets } from '../admission/budgets.js';
import { RateLimits } from '../admission/rate-limits.js';
import { buildCache } from '../cache/build.js';
import { writeBack } from '../cache/write-back.js';
import { GatewayConfigSchema, type GatewayConfig } from '../config/schema.js';
import type { ChatCompletion } from '../domain/openai.js';
import type { Target } from '../domain/types.js';
import { PacingTable } from '../pacing/gate.js';
import { createPacingMetrics } from '../pacing/metrics.js';
import { RequestContext } from '../pipeline/context.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import { logRequest } from '../pipeline/log-line.js';
import { admitBudget } from '../pipeline/stages/budget.js';
import { lookupCache } from '../pipeline/stages/cache-lookup.js';
import { pace } from '../pipeline/stages/pace.js';
import { admitRateLimits } from '../pipeline/stages/rate-limit.js';
import { MemoryStore } from '../state/memory.js';
import { createLimitMetrics } from '../telemetry/limit-metrics.js';
import { gatewayLog } from '../telemetry/log-stream.js';
import { createSpendMetrics } from '../telemetry/spend-metrics.js';
import { Registry } from '../telemetry/registry.js';
import { allControls } from './controls.js';
import { BENCH_KEY, BENCH_MODEL } from './protocol.js';

const REQUESTS = 20_000;

function benchConfig(): GatewayConfig {
  const setup = allControls({
    config: {
      upstreams: [{ id: 'bench/local', provider: 'bench', region: 'local', url: 'http://127.0.0.1:9' }],
      routes: [{ model: BENCH_MODEL, strategy: 'priority', targets: [{ upstream: 'bench/local' }] }],
      keys: [{ id: 'bench', key: BENCH_KEY, tenant: 'bench' }],
      prices: { [BENCH_MODEL]: { input: 1, output: 2 } },
    },
    options: {},
  });
  return GatewayConfigSchema.parse(setup.config);
}

const config = benchConfig();
const registry = new Registry();
const store = new MemoryStore();
const upstream = { id: 'bench/local', provider: 'bench', region: 'local', zone: 'local' };
const target = {
  key: 'bench/local:bench-model',
  model: BENCH_MODEL,
  upstream,
  price: { input: 1, output: 2 },
  stats: { observed: 0 },
  breaker: { waitMs: () => 0 },
} as unknown as Target;
const route = { model: BENCH_MODEL, targets: [target], strategy: { name: 'priority' }, timeouts: { totalMs: 60_000 } };
const counter = { inc: () => undefined } as never;
const cache = buildCache(config.cache!, {
  routes: new Map(),
  registry,
  attempts: counter,
  account: () => undefined,
});
const deps = {
  routes: new Map([[BENCH_MODEL, route]]),
  store,
  rateLimits: new RateLimits(config.limits, store, createLimitMetrics(registry)),
  budgets: new Budgets(config.budgets, store, createSpendMetrics(registry)),
  pacing: new PacingTable(config.upstreams, config.pacing, createPacingMetrics(registry)),
  cooldowns: { isCooling: () => false },
  cache,
} as unknown as PipelineDeps;
// the gateway's own logger options (its log destination) over the null device, as CONTROLS.logs sets them
type LogOptions = pino.LoggerOptions & { stream: pino.DestinationStream };
const logOptions = gatewayLog({ level: 'info', file: devNull }).options as LogOptions;
const logger = pino(logOptions, logOptions.stream) as unknown as FastifyBaseLogger;

let n = 0;
function context(): RequestContext {
  const trace = { traceId: '0af7651916cd43dd8448eb211c80319c' } as never;
  const ctx = new RequestContext(`req-${n}`, trace, performance.now());
  const content = `Tell me about load testing. ${(n++).toString(36).padStart(8, '0')}`;
  ctx.request = { model: BENCH_MODEL, messages: [{ role: 'user', content }], max_tokens: 16 };
  ctx.http = { headers: {}, body: ctx.request };
  ctx.principal = { keyId: 'bench', tenant: 'bench', tier: 'default', user: undefined } as never;
  ctx.route = route as never;
  ctx.candidates = [target];
  ctx.promptTokens = 12;
  ctx.maxTokens = 16;
  ctx.setHeader = () => undefined;
  return ctx;
}

const completion = (ctx: RequestContext): ChatCompletion => ({
  id: `chatcmpl-${ctx.id}`,
  object: 'chat.completion',
  created: 1,
  model: BENCH_MODEL,
  choices: [{ index: 0, message: { role: 'assistant', content: 'Load testing is …' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 16, total_tokens: 28 },
});

/** The request is answered: what settle reads. */
function answered(ctx: RequestContext): void {
  ctx.outcome.status = 200;
  ctx.outcome.served = target;
  ctx.outcome.completion = completion(ctx);
  ctx.outcome.usage = ctx.outcome.completion.usage;
  ctx.outcome.costUsd = 0.000044;
}

type Work = (ctx: RequestContext) => unknown;

const WORK: Record<string, Work> = {
  'context only': (ctx) => answered(ctx),
  'rate limits': async (ctx) => {
    await admitRateLimits(ctx, deps);
    answered(ctx);
    await deps.rateLimits.settle(ctx.limits?.holds ?? [], 28);
  },
  budgets: async (ctx) => {
    await admitBudget(ctx, deps);
    answered(ctx);
    const spend = ctx.spend!;
    await deps.budgets.settle(spend.subject, spend.holds, ctx.outcome.costUsd ?? 0, BENCH_MODEL);
  },
  pacing: async (ctx) => {
    await pace(ctx, deps, ctx.candidates, 0);
    answered(ctx);
  },
  cache: async (ctx) => {
    await lookupCache(ctx, deps);
    answered(ctx);
    writeBack(ctx, target, cache);
  },
  logs: (ctx) => {
    answered(ctx);
    logRequest(logger, ctx, 1.5);
  },
};

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function cpuPerRequest(work: Work, requests: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    await work(context());
    await turn();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
};

/** CPU µs per request of each control's work, less the context-only loop's (medians over `rounds`). */
export async function measureWork(rounds: number, only?: string): Promise<Array<{ name: string; us: number }>> {
  const names = Object.keys(WORK).filter((k, i) => i === 0 || only === undefined || k === only);
  for (const name of names) await cpuPerRequest(WORK[name] as Work, REQUESTS / 4);
  const runs = new Map<string, number[]>(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of names) runs.get(name)?.push(await cpuPerRequest(WORK[name] as Work, REQUESTS));
  }
  const base = runs.get('context only') as number[];
  return names.map((name) => {
    const xs = runs.get(name) as number[];
    const us = name === 'context only' ? median(xs) : median(xs.map((x, i) => x - (base[i] as number)));
    return { name, us };
  });
}
