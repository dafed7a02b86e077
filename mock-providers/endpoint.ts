/**
 * One mock endpoint (provider × region): a fastify app on its own http.Server, so an outage is
 * real — while anything holds it down (stopEndpoint, an outage-refuse fault) the port is closed
 * (new connections are refused) and the sockets of calls in flight are destroyed; when the last
 * hold is released it listens again on the same port.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Rng, deriveSeed } from '../core/random.js';
import { ATTEMPT_HEADER, ENDPOINT_HEADER, REQUEST_ID_HEADER } from './attribution.js';
import { Call, parseAttempt, type CallSite } from './call.js';
import type { ChaosEngine } from './chaos/engine.js';
import type { CallModifiers } from './chaos/faults/types.js';
import { serveEmbeddings } from './embeddings/serve.js';
import { faultFailure, installErrorHandling } from './error-handler.js';
import { endpointId, type Provider, type Region } from './fleet-schema.js';
import { FORMATS, type FormatName } from './formats/index.js';
import type { ModelListing, Peek, RequestParts } from './formats/types.js';
import { apiKey } from './keys.js';
import type { Ledger } from './ledger.js';
import { CapacityPool } from './limits/capacity.js';
import type { QualityModel } from './quality/verdict.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { PromptCache, promptCacheRule } from './prompt-cache.js';
import { serve, type ServeSite } from './serve.js';

const CALL = Symbol('stormlab.call');

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
  /** chat models, then embedding models */
  models: string[];
}

export interface Endpoint {
  readonly info: EndpointInfo;
  readonly running: boolean;
  /** calls not yet ended */
  readonly inFlight: number;
  /** hold the port closed for `reason`; calls in flight are cut and ledgered with fault `label` */
  hold(reason: string, label: string): Promise<void>;
  /** drop a hold; the port opens again when none is left */
  release(reason: string): Promise<void>;
  /** close the connections of the calls an outage-hang fault holds */
  endHung(faultId: string): void;
  /** release for good */
  close(): Promise<void>;
}

export interface EndpointOptions {
  seed: number;
  provider: Provider;
  region: Region;
  host: string;
  ledger: Ledger;
  chaos: Pick<ChaosEngine, 'decide'>;
  /** the provider's rate limiter, shared by all its regions (default: this endpoint's own) */
  limiter?: RateLimiter;
  /** prompt difficulties and the verdict's parameters (shared by the fleet's endpoints) */
  quality: QualityModel;
  /** 0 → any free port (the first start picks it; later starts reuse it) */
  port?: number;
}

export async function createEndpoint(o: EndpointOptions): Promise<Endpoint> {
  const id = endpointId(o.provider.name, o.region.name);
  const format = FORMATS[o.provider.format];
  let seq = 0;
  const cacheRule = promptCacheRule(format.name, o.provider.promptCache);
  const site: CallSite & ServeSite = {
    id,
    provider: o.provider.name,
    region: o.region.name,
    ledger: o.ledger,
    live: new Set<Call>(),
    seed: o.seed,
    latencyMultiplier: o.region.latencyMultiplier,
    format,
    models: new Map(o.provider.models.map((m) => [m.name, m])),
    embeddingModels: new Map(o.provider.embeddings.map((m) => [m.name, m])),
    pools: new Map(o.provider.models.flatMap((m) => (m.capacity ? [[m.name, new CapacityPool(m.capacity)] as const] : []))),
    limiter: o.limiter ?? new RateLimiter(),
    promptCache: cacheRule ? new PromptCache(cacheRule) : null,
    rng: new Rng(deriveSeed(o.seed, id)),
    nextSeq: () => ++seq,
    quality: o.quality,
  };
  const listing: ModelListing[] = [
    ...o.provider.models.map((m) => ({ name: m.name, kind: 'chat' as const, maxOutputTokens: m.maxOutputTokens })),
    ...o.provider.embeddings.map((m) => ({ name: m.name, kind: 'embedding' as const })),
  ];

  let server!: Server;
  const app: FastifyInstance = Fastify({
    serverFactory: (handler) => (server = createServer({ noDelay: true, keepAlive: true }, handler)),
    requestIdHeader: REQUEST_ID_HEADER,
    genReqId: () => randomUUID(),
    bodyLimit: 64 * 1024 * 1024,
    logger: false,
  });
  /** the Call of a request, kept on the request itself (cheaper for the GC than a WeakMap at thousands of requests/s) */
  type WithCall = FastifyRequest['raw'] & { [CALL]?: Call };

  installErrorHandling(app, format, id);
  const marked = (reply: FastifyReply, req: FastifyRequest): FastifyReply => reply.header(ENDPOINT_HEADER, id).header(REQUEST_ID_HEADER, req.id);
  app.get('/healthz', (req, reply) => marked(reply, req).send({ status: 'ok', endpoint: id }));
  app.get(format.models.url, (req, reply) => marked(reply, req).send(format.models.body(listing, o.provider.name)));

  const startCall = (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    (req.raw as WithCall)[CALL] = new Call(site, reply.raw, req.id, parseAttempt(req.headers[ATTEMPT_HEADER]));
    done();
  };

  /** The faults decide first (on what can be read without validating); null → the call is answered already. */
  const chaosFirst = (req: FastifyRequest, reply: FastifyReply, peek: (p: RequestParts) => Peek): { call: Call; parts: RequestParts; m: CallModifiers } | null => {
    const call = (req.raw as WithCall)[CALL]!;
    const query = req.query as Record<string, string | undefined>;
    const parts: RequestParts = { body: req.body, params: req.params as Record<string, string | undefined>, query };
    const p = peek(parts);
    call.model = p.model;
    call.stream = p.stream;
    call.key = apiKey(req.headers, query);
    const v = o.chaos.decide(site, p.model, call.key, p.stream);
    if (v.faults.length > 0) call.fault = v.faults.join(',');
    if (v.answer?.kind === 'hang') {
      reply.hijack();
      call.hangFault = v.answer.faultId;
      if (call.done) reply.raw.destroy();
      return null;
    }
    if (v.answer) throw faultFailure(format, v.answer.status, v.answer.retryAfterS);
    return { call, parts, m: v.modifiers };
  };

  // one fastify route per URL; routes sharing a URL pick the request by `accepts` (the first is the fallback)
  type Handler = { url: string; accepts?: (p: RequestParts) => boolean; handle: (req: FastifyRequest, reply: FastifyReply) => void };
  const handlers: Handler[] = [
    ...format.calls.map((route) => ({
      url: route.url,
      accepts: route.accepts,
      handle: (req: FastifyRequest, reply: FastifyReply) => {
        const c = chaosFirst(req, reply, route.peek);
        if (c) serve(site, c.call, route.parse(c.parts), route, c.parts, reply, c.m);
      },
    })),
    ...(format.embeddings ?? []).map((emb) => ({
      url: emb.url,
      accepts: emb.accepts,
      handle: (req: FastifyRequest, reply: FastifyReply) => {
        const c = chaosFirst(req, reply, emb.peek);
        if (c) serveEmbeddings(site, c.call, emb.parse(c.parts), emb, reply, c.m);
      },
    })),
  ];
  for (const url of new Set(handlers.map((h) => h.url))) {
    const group = handlers.filter((h) => h.url === url);
    app.route({
      method: 'POST',
      url,
      onRequest: startCall,
      handler: (req, reply) => {
        if (group.length === 1) return group[0]!.handle(req, reply);
        type Strings = Record<string, string | undefined>;
        const parts: RequestParts = { body: req.body, params: req.params as Strings, query: req.query as Strings };
        (group.find((h) => h.accepts?.(parts) ?? true) ?? group[0]!).handle(req, reply);
      },
    });
  }
  await app.ready();

  let port = o.port ?? 0;
  let running = false;
  const info: EndpointInfo = { id, provider: o.provider.name, region: o.region.name, format: format.name, url: '', models: listing.map((m) => m.name) };
  /** reason → the fault label calls in flight are cut with */
  const holds = new Map<string, string>();

  // listening and closing run one at a time, in call order (a kill and a revival may come back to back)
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

  const unlisten = async (label: string): Promise<void> => {
    if (!running) return;
    running = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const call of [...site.live]) call.cut(label);
    server.closeAllConnections();
    await closed;
  };

  const reconcile = (): Promise<void> =>
    serial(async () => {
      if (holds.size === 0) await listen();
      else await unlisten(holds.values().next().value!);
    });

  await reconcile();
  return {
    info,
    get running() {
      return running;
    },
    get inFlight() {
      return site.live.size;
    },
    hold(reason, label) {
      holds.set(reason, label);
      return reconcile();
    },
    release(reason) {
      holds.delete(reason);
      return reconcile();
    },
    endHung(faultId) {
      for (const call of [...site.live]) if (call.hangFault === faultId) call.cut('outage-hang');
    },
    async close() {
      holds.set('(closed)', 'endpoint_stopped');
      await reconcile();
      await app.close();
    },
  };
}
