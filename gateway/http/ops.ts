import type { FastifyInstance } from 'fastify';
import { PROMETHEUS_CONTENT_TYPE, type Registry } from '../telemetry/registry.js';

/** GET /healthz (liveness) and GET /metrics (Prometheus text exposition). */
export function registerOps(app: FastifyInstance, registry: Registry): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(registry.render()));
}
