import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { StormlabError } from '../core/errors.js';
import { createAccountant } from './accounting.js';
import { InFlight } from './drain.js';
import type { GatewayConfig } from './config-schema.js';
import { registerErrorHandling } from './errors/handler.js';
import { createGatewayMetrics } from './metrics/gateway-metrics.js';
import { registerChat } from './routes/chat.js';
import { registerModels } from './routes/models.js';
import { registerOps } from './routes/ops.js';
import { buildRouteTable } from './routing/table.js';
import { buildPipeline } from './upstream/pipeline.js';
import { closeUpstreams, createUpstream } from './upstream/pool.js';
import { resolveUpstreams } from './upstream/resolve.js';

/** Prompts can be long; 16 MiB leaves room for big contexts without inviting abuse. */
const BODY_LIMIT_BYTES = 16 * 1024 * 1024;
/** On close, how long in-flight chat requests may take to finish before their connections are cut. */
const DRAIN_MS = 10_000;

export interface BuildGatewayOptions {
  /** URLs for upstreams the config leaves without one, keyed by upstream id (e.g. from `stormlab mocks --json`) */
  upstreamUrls?: Readonly<Record<string, string>>;
  /** fastify logger: false (default), true, or pino options */
  logger?: FastifyServerOptions['logger'];
}

/** Build the gateway app (not listening). Throws SL_UPSTREAM_UNRESOLVED if an upstream has no URL. */
export async function buildGateway(config: GatewayConfig, opts: BuildGatewayOptions = {}): Promise<FastifyInstance> {
  const resolved = resolveUpstreams(config.upstreams, opts.upstreamUrls);
  const upstreams = new Map(resolved.map((r) => [r.config.id, createUpstream(r.config, r.url, r.apiKey, config.timeouts)]));
  const routes = buildRouteTable(config.routes, upstreams);
  const metrics = createGatewayMetrics();
  const inFlight = new InFlight();

  const app = Fastify({
    logger: opts.logger ?? false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  // Graceful close: new requests get 503, in-flight ones get DRAIN_MS to finish, then every
  // connection is cut (server.close alone would wait on idle keep-alive sockets that never sent
  // a request) and the upstream pools are destroyed.
  app.addHook('preClose', async () => {
    await inFlight.idle(DRAIN_MS);
    app.server.closeAllConnections();
  });
  app.addHook('onClose', async () => closeUpstreams(upstreams.values()));

  registerErrorHandling(app);
  registerChat(app, {
    routes,
    dispatch: buildPipeline({ retry: config.retry, metrics }),
    account: createAccountant(config.prices, metrics),
    metrics,
    inFlight,
    totalMs: config.timeouts.totalMs,
  });
  registerModels(app, routes);
  registerOps(app, metrics.registry);
  return app;
}

export interface StartGatewayOptions extends BuildGatewayOptions {
  /** overrides `listen.host` */
  host?: string;
  /** overrides `listen.port`; 0 picks a free port (the real one is in `url`) */
  port?: number;
}

export interface RunningGateway {
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

function urlHost(address: AddressInfo): string {
  const a = address.address;
  if (a === '0.0.0.0') return '127.0.0.1';
  if (a === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${a}]` : a;
}

/** Build the gateway and listen; the returned `url` carries the real port. */
export async function startGateway(config: GatewayConfig, opts: StartGatewayOptions = {}): Promise<RunningGateway> {
  const app = await buildGateway(config, opts);
  const host = opts.host ?? config.listen.host;
  const port = opts.port ?? config.listen.port;
  try {
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new StormlabError('SL_CONFIG_INVALID', `gateway cannot listen on ${host}:${port} (${code})`, [
      { path: 'listen', expected: 'a free port on a local address (port 0 picks one)', received: `${host}:${port}` },
    ], { cause: e });
  }
  const url = `http://${urlHost(app.server.address() as AddressInfo)}:${(app.server.address() as AddressInfo).port}`;
  return { url, app, close: () => app.close() };
}
