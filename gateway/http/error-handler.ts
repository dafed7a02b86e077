import type { FastifyInstance } from 'fastify';
import { StormlabError } from '../../core/errors.js';
import { toWireError } from './wire-error.js';

/** Every error response of the gateway — thrown or not-found — goes through here. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((e, request, reply) => {
    const { status, body, error } = toWireError(e);
    const requestId = request.id;
    const ours = status >= 500 && status !== 502 && status !== 503 && status !== 504;
    if (ours) request.log.error({ err: e, requestId }, error.message);
    else request.log.info({ code: error.code, status, requestId }, error.message);
    if (reply.sent) return;
    reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.send(new StormlabError('GW_NOT_FOUND', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`));
  });
}
