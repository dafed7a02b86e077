/**
 * The control API of a running fleet, modelled on toxiproxy's: its own listener, bound to
 * loopback, answering loopback clients only (anyone else gets a 403).
 *
 *   GET    /faults          active and scheduled faults
 *   POST   /faults          start one now: { fault, scope?, probability?, params?, for?, id? } → 201
 *   GET    /faults/{id}     one fault
 *   DELETE /faults/{id}     stop it (or cancel it) → 204
 *   POST   /reset           stop and cancel every fault → 204
 *   POST   /timeline        { startAtMs?, events: [...] } → 201 { faults }
 *   GET    /endpoints       { control, endpoints: [{ id, provider, region, format, url, models, up }] }
 *   GET    /events          the chaos event log so far
 *
 * Errors have one shape, `{ error: { message, type, code, param, details } }`, with a catalog code;
 * bad input is a 400 naming the field.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { z } from 'zod';
import { validate } from '../../core/config-file.js';
import { isStormlabError, StormlabError } from '../../core/errors.js';
import type { ChaosLogEntry } from '../chaos/chaos-log.js';
import type { FaultInfo } from '../chaos/engine.js';
import { ChaosTimelineSchema, FaultSpecSchema, type ChaosEvent, type FaultSpec } from '../chaos/timeline-schema.js';
import type { EndpointInfo } from '../endpoint.js';
import { isLoopbackAddress } from './loopback.js';

/** What the control API drives (a RunningFleet). */
export interface ControlTarget {
  endpoints: readonly EndpointInfo[];
  isUp(id: string): boolean;
  faults(): FaultInfo[];
  fault(id: string): FaultInfo | undefined;
  addFault(spec: FaultSpec): Promise<FaultInfo>;
  removeFault(id: string): Promise<void>;
  resetFaults(): Promise<void>;
  applyTimeline(events: ChaosEvent[], startAtMs?: number): Promise<FaultInfo[]>;
  chaosEvents(): readonly ChaosLogEntry[];
}

export interface ControlOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 0 (a free port) */
  port?: number;
  /** which client addresses may use the API (default: loopback ones) */
  isAllowed?: (remoteAddress: string | undefined) => boolean;
}

export interface ControlServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

const TimelineBody = z.strictObject({
  /** epoch ms the offsets count from; default now */
  startAtMs: z.number().nonnegative().optional(),
  events: ChaosTimelineSchema,
});

function errorType(status: number): string {
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 409) return 'conflict_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function wire(err: unknown): { status: number; body: unknown } {
  let e: StormlabError;
  let status: number;
  if (isStormlabError(err)) {
    e = err;
    status = err.status;
  } else {
    const sc = (err as { statusCode?: unknown }).statusCode;
    const msg = (err as { message?: unknown }).message;
    status = typeof sc === 'number' && sc >= 400 && sc < 500 ? sc : 500;
    e = new StormlabError(status < 500 ? 'MOCK_BAD_REQUEST' : 'MOCK_INTERNAL', typeof msg === 'string' ? msg : String(err));
  }
  const param = e.details[0]?.path;
  const details = e.details.map(({ file: _f, ...d }) => d);
  return { status, body: { error: { message: e.message, type: errorType(status), code: e.code, param: param && param !== '(root)' ? param : null, details } } };
}

export async function startControl(target: ControlTarget, o: ControlOptions = {}): Promise<ControlServer> {
  const allowed = o.isAllowed ?? isLoopbackAddress;
  let server!: Server;
  const app = Fastify({ serverFactory: (h) => (server = createServer(h)), logger: false });
  app.addHook('onRequest', (req, _reply, done) => {
    const addr = req.socket.remoteAddress;
    if (allowed(addr)) return done();
    done(new StormlabError('MOCK_CONTROL_FORBIDDEN', `the control API answers loopback clients only (not ${addr ?? 'an unknown address'})`));
  });
  app.setErrorHandler((err, _req, reply) => {
    const w = wire(err);
    void reply.code(w.status).type('application/json').send(w.body);
  });
  app.setNotFoundHandler((req) => {
    throw new StormlabError('MOCK_ROUTE_NOT_FOUND', `no control route ${req.method} ${req.url}`, [
      { path: 'url', expected: 'GET|POST /faults, GET|DELETE /faults/{id}, POST /reset, POST /timeline, GET /endpoints, GET /events' },
    ]);
  });

  const notFound = (id: string): StormlabError =>
    new StormlabError('MOCK_FAULT_NOT_FOUND', `no fault with id "${id}"`, [{ path: 'id', expected: 'the id of an active or scheduled fault (GET /faults)', received: id }]);

  app.get('/faults', () => ({ faults: target.faults() }));
  app.post('/faults', async (req, reply) => {
    const spec = validate(FaultSpecSchema, req.body ?? {}, 'POST /faults body', 'fault');
    return reply.code(201).send(await target.addFault(spec));
  });
  app.get<{ Params: { id: string } }>('/faults/:id', (req) => target.fault(req.params.id) ?? Promise.reject(notFound(req.params.id)));
  app.delete<{ Params: { id: string } }>('/faults/:id', async (req, reply) => {
    if (!target.fault(req.params.id)) throw notFound(req.params.id);
    await target.removeFault(req.params.id);
    return reply.code(204).send();
  });
  app.post('/reset', async (_req, reply) => {
    await target.resetFaults();
    return reply.code(204).send();
  });
  app.post('/timeline', async (req, reply) => {
    const body = validate(TimelineBody, req.body ?? {}, 'POST /timeline body', 'timeline');
    try {
      return reply.code(201).send({ faults: await target.applyTimeline(body.events, body.startAtMs) });
    } catch (e) {
      // scope names the fleet lacks: point at them inside the body
      if (isStormlabError(e) && e.code === 'SL_CONFIG_INVALID') {
        throw new StormlabError(e.code, e.message, e.details.map((d) => ({ ...d, path: d.path ? `events${d.path}` : 'events' })));
      }
      throw e;
    }
  });
  app.get('/endpoints', () => ({ control: url, endpoints: target.endpoints.map((e) => ({ ...e, up: target.isUp(e.id) })) }));
  app.get('/events', () => ({ events: target.chaosEvents() }));
  await app.ready();

  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: o.port ?? 0, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      // the server was started here, not by fastify: close it here, connections and all
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await app.close();
    },
  };
}
