import type { FastifyInstance } from 'fastify';
import type { Route } from '../domain/route.js';

/** GET /v1/models: the model names clients may ask for (the route models), OpenAI-shaped. */
export function registerModels(app: FastifyInstance, routes: ReadonlyMap<string, Route>): void {
  const body = {
    object: 'list',
    data: [...routes.keys()].map((id) => ({ id, object: 'model', created: 0, owned_by: 'stormlab-gateway' })),
  };
  app.get('/v1/models', async () => body);
}
