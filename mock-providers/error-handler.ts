/**
 * The one error path of a mock endpoint: whatever went wrong (a StormlabError from a handler, a
 * status a fault or a limit chose, fastify's own 4xx for a bad content type or broken JSON, a
 * bug) becomes a WireError, and the endpoint's format shapes the body.
 */
import type { FastifyInstance } from 'fastify';
import { isStormlabError, StormlabError, type ErrorCode } from '../core/errors.js';
import { ENDPOINT_HEADER, REQUEST_ID_HEADER } from './attribution.js';
import type { FormatUnit, WireError } from './formats/types.js';

/** An answer whose status (and headers) were chosen on purpose: a fault, a rate limit, an overload. */
export class WireFailure extends Error {
  constructor(readonly wire: WireError) {
    super(wire.error.message);
    this.name = 'WireFailure';
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof WireFailure) return err.wire;
  if (isStormlabError(err)) return { status: err.status, error: err };
  const e = err as { statusCode?: unknown; message?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (status >= 400 && status < 500) return { status, error: new StormlabError('MOCK_BAD_REQUEST', message, [], { cause: err }) };
  return { status: 500, error: new StormlabError('MOCK_INTERNAL', `internal error in the mock provider: ${message}`, [], { cause: err }) };
}

/** The catalog code for a status a fault answers with. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 429) return 'MOCK_RATE_LIMITED';
  if (status === 503 || status === 529) return 'MOCK_OVERLOADED';
  return status >= 500 ? 'MOCK_SERVER_ERROR' : 'MOCK_BAD_REQUEST';
}

/** `retry-after` (whole seconds, as HTTP wants) and `retry-after-ms` (which the OpenAI and Anthropic SDKs prefer). */
export function retryAfterHeaders(ms: number | null): Record<string, string> {
  if (ms === null) return {};
  return { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))), 'retry-after-ms': String(Math.max(1, Math.ceil(ms))) };
}

/** A fault's answer: `status` in the API's error shape with the API's own message. */
export function faultFailure(format: FormatUnit, status: number, retryAfterS: number | null): WireFailure {
  const error = new StormlabError(codeForStatus(status), format.statusMessage(status));
  return new WireFailure({ status, error, headers: retryAfterHeaders(retryAfterS === null ? null : retryAfterS * 1000) });
}

/** Errors carry the serving endpoint and the request id in headers too (a success sets its own). */
export function installErrorHandling(app: FastifyInstance, format: FormatUnit, endpointId: string): void {
  app.setErrorHandler((err, req, reply) => {
    const wire = toWireError(err);
    void reply.header(ENDPOINT_HEADER, endpointId).header(REQUEST_ID_HEADER, req.id);
    if (wire.headers) void reply.headers(wire.headers);
    void reply.code(wire.status).type('application/json').send(format.errorBody(wire));
  });
  app.setNotFoundHandler((req) => {
    throw new StormlabError('MOCK_ROUTE_NOT_FOUND', `Invalid URL (${req.method} ${req.url})`);
  });
}
