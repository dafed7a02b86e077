/**
 * The one error path of a mock endpoint: whatever went wrong (a StormlabError from a handler,
 * fastify's own 4xx for a bad content type or broken JSON, a bug) becomes a status and a
 * StormlabError, and the endpoint's format shapes the body.
 */
import type { FastifyInstance } from 'fastify';
import { isStormlabError, StormlabError } from '../core/errors.js';
import type { FormatUnit, WireError } from './formats/types.js';

export function toWireError(err: unknown): WireError {
  if (isStormlabError(err)) return { status: err.status, error: err };
  const e = err as { statusCode?: unknown; message?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (status >= 400 && status < 500) return { status, error: new StormlabError('MOCK_BAD_REQUEST', message, [], { cause: err }) };
  return { status: 500, error: new StormlabError('MOCK_INTERNAL', `internal error in the mock provider: ${message}`, [], { cause: err }) };
}

export function installErrorHandling(app: FastifyInstance, format: FormatUnit): void {
  app.setErrorHandler((err, _req, reply) => {
    const wire = toWireError(err);
    void reply.code(wire.status).type('application/json').send(format.errorBody(wire));
  });
  app.setNotFoundHandler((req) => {
    throw new StormlabError('MOCK_ROUTE_NOT_FOUND', `Invalid URL (${req.method} ${req.url})`);
  });
}
