/**
 * One mock endpoint (provider × region): a fastify app on its own http.Server, so an outage is
 * real — stop() closes the port (new connections are refused) and destroys the sockets of calls
 * in flight; start() listens again on the same port.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Rng, deriveSeed } from '../core/random.js';
import { ATTEMPT_HEADER, ENDPOINT_HEADER, REQUEST_ID_HEADER } from './attribution.js';
import { Call, parseAttempt, type CallSite } from './call.js';
import { installErrorHandling } from './error-handler.js';
import { endpointId, type Provider, type Region } from './fleet-schema.js';
import { FORMATS, type FormatName } from './formats/index.js';
import type { Ledger } from './ledger.js';
import { serve, type ServeSite } from './serve.js';

/** Thousands of clients connect at once in a load test; Node's default of 511 makes SYNs wait for retransmits. */
const LISTEN_BACKLOG = 8192;

export interface EndpointInfo {
  /** `<provider>/<region>` */
  id: string;
  provider: string;
  region: string;
  format: FormatName;
  /** `http://127.0.0.1:PORT` (no trailing slash) */
  url: string;
  models: string[];
}

export interface Endpoint {
  readonly info: EndpointInfo;
  readonly running: boolean;
  /** calls not yet ended */
  readonly inFlight: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** stop and release the app for good */
  close(): Promise<void>;
}

export interface EndpointOptions {
  seed: number;
  provider: Provider;
  region: Region;
  host: string;
  ledger: Ledger;
  /** 0 → any free port (the first start picks it; later starts reuse it) */
  port?: number;
}

export async function createEndpoint(o: EndpointOptions): Promise<Endpoint> {
  const id = endpointId(o.provider.name, o.region.name);
  const format = FORMATS[o.provider.format];
  const models = new Map(o.provider.models.map((m) => [m.name, m]));
  let seq = 0;
  const site: CallSite & ServeSite = {
    id,
    provider: o.provider.name,
    region: o.region.name,
    ledger: o.ledger,
    live: new Set<Call>(),
    seed: o.seed,
    latencyMultiplier: o.region.latencyMultiplier,
    models,
    rng: new Rng(deriveSeed(o.seed, id)),
    nextSeq: () => ++seq,
  };

  let server!: Server;
  const app: FastifyInstance = Fastify({
    serverFactory: (handler) => (server = createServer({ noDelay: true, keepAlive: true }, handler)),
    requestIdHeader: REQUEST_ID_HEADER,
    genReqId: () => randomUUID(),
    bodyLimit: 64 * 1024 * 1024,
    logger: false,
  });
  const calls = new WeakMap<object, Call>();

  app.addHook('onRequest', (req, reply, done) => {
    reply.header(ENDPOINT_HEADER, id).header(REQUEST_ID_HEADER, req.id);
    done();
  });
  installErrorHandling(app, format);
  app.get('/healthz', () => ({ status: 'ok', endpoint: id }));
  app.get(format.models.url, () => format.models.body([...models.keys()], o.provider.name));
  for (const route of format.calls) {
    app.route({
      method: route.method,
      url: route.url,
      onRequest: (req, reply, done) => {
        calls.set(req.raw, new Call(site, reply.raw, req.id, parseAttempt(req.headers[ATTEMPT_HEADER])));
        done();
      },
      handler: (req, reply) => {
        const call = calls.get(req.raw)!;
        const body = req.body as { model?: unknown } | null | undefined;
        if (typeof body?.model === 'string') call.model = body.model;
        const parsed = route.parse({
          body: req.body,
          params: req.params as Record<string, string>,
          query: req.query as Record<string, string>,
        });
        serve(site, call, parsed, route, reply);
      },
    });
  }
  await app.ready();

  let port = o.port ?? 0;
  let running = false;
  const info: EndpointInfo = { id, provider: o.provider.name, region: o.region.name, format: format.name, url: '', models: [...models.keys()] };

  // start and stop run one at a time, in call order (a kill and a revival may be issued back to back)
  let queue: Promise<unknown> = Promise.resolve();
  const serial = (f: () => Promise<void>): Promise<void> => {
    const p = queue.then(f);
    queue = p.catch(() => undefined);
    return p;
  };

  const listen = async (): Promise<void> => {
    if (running) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      server.listen({ port, host: o.host, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    running = true;
    port = (server.address() as AddressInfo).port;
    info.url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  };

  const unlisten = async (): Promise<void> => {
    if (!running) return;
    running = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const call of [...site.live]) call.end('error', 'endpoint_stopped');
    server.closeAllConnections();
    await closed;
  };

  const start = (): Promise<void> => serial(listen);
  const stop = (): Promise<void> => serial(unlisten);
  await start();
  return {
    info,
    get running() {
      return running;
    },
    get inFlight() {
      return site.live.size;
    },
    start,
    stop,
    async close() {
      await stop();
      await app.close();
    },
  };
}
