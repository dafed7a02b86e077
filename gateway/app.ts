/**
 * The gateway, composed: config → upstream pools, breakers, routes, keys, metrics → a fastify
 * app with the front door (chat, embeddings, models) and the ops endpoints. Composition only.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { StormlabError } from '../core/errors.js';
import type { GatewayConfig } from './config/schema.js';
import type { BreakerState, Upstream } from './domain/types.js';
import { getFormat } from './formats/registry.js';
import { registerChat, requestId } from './http/chat.js';
import { InFlight } from './http/drain.js';
import { registerAdmin } from './http/admin.js';
import { registerEmbeddings } from './http/embeddings.js';
import { Budgets } from './admission/budgets.js';
import { RateLimits } from './admission/rate-limits.js';
import { ResidencyTable } from './admission/residency.js';
import { gatewayLog } from './telemetry/log-stream.js';
import { createStateBackend, type StateBackend } from './state/backend.js';
import { createSpendMetrics } from './telemetry/spend-metrics.js';
import { createLimitMetrics } from './telemetry/limit-metrics.js';
import { registerErrorHandling } from './http/error-handler.js';
import { registerJsonBody } from './http/json-body.js';
import { createKeyStore } from './pipeline/keys.js';
import { toWireError } from './http/wire-error.js';
import { registerModels } from './http/models.js';
import { registerOps } from './http/ops.js';
import type { PipelineDeps } from './pipeline/deps.js';
import { buildRouteTable } from './pipeline/route-table.js';
import { CircuitBreaker } from './resilience/breaker.js';
import { CoolDowns } from './resilience/cooldown.js';
import { RetryBudget } from './resilience/retry-budget.js';
import { buildCache } from './cache/build.js';
import { createAccountant } from './telemetry/accounting.js';
import { createGatewayMetrics, type GatewayMetrics } from './telemetry/metrics.js';
import { closeUpstreams, createUpstream } from './upstream/pool.js';
import { resolveUpstreams } from './upstream/resolve.js';
import { PacingTable } from './pacing/gate.js';
import { createPacingMetrics } from './pacing/metrics.js';

/** On close, how long in-flight requests may take to finish before their connections are cut. */
const DRAIN_MS = 10_000;
const BREAKER_LEVEL = { closed: 0, 'half-open': 1, open: 2 } as const;

export interface BuildGatewayOptions {
  /** URLs for upstreams the config leaves without one, keyed by upstream id (e.g. from `stormlab mocks --json`) */
  upstreamUrls?: Readonly<Record<string, string>>;
  /** fastify logger: false (default), true, or pino options */
  logger?: FastifyServerOptions['logger'];
  /** uniform [0, 1) for strategies and jitter (default Math.random) */
  random?: () => number;
  env?: NodeJS.ProcessEnv;
}

function upstreamsOf(config: GatewayConfig, opts: BuildGatewayOptions): Map<string, Upstream> {
  const resolved = resolveUpstreams(config.upstreams, opts.upstreamUrls);
  return new Map(
    resolved.map((r) => [r.config.id, createUpstream(r.config, r.url, r.apiKey, getFormat(r.config.format), config.timeouts.connectMs)]),
  );
}

function pipelineDeps(
  config: GatewayConfig,
  opts: BuildGatewayOptions,
  upstreams: Map<string, Upstream>,
  metrics: GatewayMetrics,
  state: StateBackend,
): PipelineDeps {
  const random = opts.random ?? Math.random;
  const cooldowns = new CoolDowns(config.retry.maxCoolDownMs);
  // in process, or Redis (shared between instances) with in-process state while it is away
  const { store, board } = state;
  const routes = buildRouteTable(config, {
    upstreams,
    random,
    breaker: (key, upstream, model) => {
      const labels = { upstream: upstream.id, model };
      metrics.breakerState.set(labels, 0);
      const breaker = new CircuitBreaker(config.breaker, {
        onTransition: (_from: BreakerState, to: BreakerState, reason) => {
          metrics.breakerState.set(labels, BREAKER_LEVEL[to]);
          metrics.breakerTransitions.inc({ ...labels, to });
          if (reason !== 'shared') board?.publish(key, to);
        },
      });
      board?.track(key, breaker);
      return breaker;
    },
  });
  const account = createAccountant(metrics);
  const exactStore = config.cache ? state.exactStore(config.cache.maxEntries) : undefined;
  const cache = config.cache
    ? buildCache(config.cache, {
        routes,
        registry: metrics.registry,
        attempts: metrics.attempts,
        account,
        ...(exactStore ? { exactStore } : {}),
      })
    : undefined;
  return {
    routes,
    routeNames: [...routes.keys()].map((m) => JSON.stringify(m)).join(', '),
    keys: createKeyStore(config.keys, opts.env),
    limits: config.requests,
    retry: config.retry,
    budget: new RetryBudget(config.retry.budget),
    cooldowns,
    metrics,
    account,
    ...(cache ? { cache } : {}),
    random,
    store,
    budgets: new Budgets(config.budgets, store, createSpendMetrics(metrics.registry)),
    rateLimits: new RateLimits(config.limits, store, createLimitMetrics(metrics.registry)),
    residency: new ResidencyTable(config.tenants),
    pacing: new PacingTable(config.upstreams, config.pacing, createPacingMetrics(metrics.registry)),
    waitMs: (target, now) => Math.max(cooldowns.remainingMs(target.key, now) ?? 0, target.breaker.waitMs(now)),
  };
}

/** Build the gateway app (not listening). Throws SL_UPSTREAM_UNRESOLVED if an upstream has no URL. */
export async function buildGateway(config: GatewayConfig, opts: BuildGatewayOptions = {}): Promise<FastifyInstance> {
  const upstreams = upstreamsOf(config, opts);
  const metrics = createGatewayMetrics();
  const inFlight = new InFlight();
  let draining = false;

  // log lines batched into few writes, flushed when the gateway closes (telemetry/log-stream.ts)
  const log = gatewayLog(opts.logger);
  const app = Fastify({
    logger: log.options,
    // fastify's own request lines are off: settle writes one line per request
    logController: new LogController({ disableRequestLogging: true }),
    // no child logger per request (pino's child costs on every request): the lines name their request id
    childLoggerFactory: (logger) => logger,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    bodyLimit: config.requests.maxBodyBytes,
    return503OnClosing: false,
    // errors fastify raises before routing (a URL it cannot decode, …) get the one error shape too
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = toWireError(error);
      void (reply as FastifyReply).code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
    },
  });
  const state = await createStateBackend(config.redis, metrics.registry, app.log);
  let deps: PipelineDeps;
  try {
    deps = pipelineDeps(config, opts, upstreams, metrics, state);
    // an instance that starts reads the breaker moves the others published before it serves
    await state.board?.sync();
    state.board?.start();
  } catch (e) {
    await state.close(); // a config error (a key's unset variable …) must not leave a Redis connection open
    throw e;
  }
  // a callback hook, not an async one: no promise per request
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (!draining) return done();
    reply.header('retry-after', '1').header('connection', 'close');
    done(new StormlabError('GW_DRAINING', 'the gateway is shutting down; retry on another instance'));
  });
  // Graceful close: new requests get 503 in the one error shape, in-flight ones get DRAIN_MS to
  // finish, then every connection is cut and the upstream pools are destroyed.
  app.addHook('preClose', async () => {
    draining = true;
    await inFlight.idle(DRAIN_MS);
    app.server.closeAllConnections();
  });
  app.addHook('onClose', async () => {
    deps.pacing.close();
    await closeUpstreams(upstreams.values());
    await state.close();
    log.close();
  });

  registerJsonBody(app);
  registerErrorHandling(app);
  registerChat(app, deps, inFlight, log.direct);
  registerEmbeddings(app, deps);
  registerModels(app, deps.routes);
  registerOps(app, metrics.registry);
  registerAdmin(app, { keys: deps.keys, budgets: deps.budgets, loopback: config.admin.loopback });
  return app;
}
