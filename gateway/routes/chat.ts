import type { FastifyInstance } from 'fastify';
import { StormlabError } from '../../core/errors.js';
import type { Accountant } from '../accounting.js';
import type { InFlight } from '../drain.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { parseChatRequest } from '../request-schema.js';
import type { Route } from '../routing/types.js';
import { Call } from '../upstream/call.js';
import type { AttemptResult, CallDispatch } from '../upstream/types.js';
import { respond } from './respond.js';

export interface ChatDeps {
  routes: ReadonlyMap<string, Route>;
  dispatch: CallDispatch;
  account: Accountant;
  metrics: GatewayMetrics;
  inFlight: InFlight;
  totalMs: number;
}

/** POST /v1/chat/completions: validate, route, run the upstream pipeline, answer. */
export function registerChat(app: FastifyInstance, deps: ChatDeps): void {
  const routed = [...deps.routes.keys()].map((m) => JSON.stringify(m)).join(', ');

  app.post('/v1/chat/completions', async (request, reply) => {
    // the one place that sees every chat request end: answered, failed, or abandoned (499)
    const started = performance.now();
    const labels = { model: '', stream: 'false' };
    let current: Call | undefined;
    deps.inFlight.enter();
    deps.metrics.inFlight.inc();
    reply.raw.once('close', () => {
      const finished = reply.raw.writableEnded;
      if (!finished) current?.abort('client');
      current?.dispose();
      deps.metrics.requests.inc({ ...labels, status: finished ? String(reply.statusCode) : '499' });
      deps.metrics.duration.observe(labels, (performance.now() - started) / 1000);
      deps.metrics.inFlight.dec();
      deps.inFlight.leave();
    });

    const body = parseChatRequest(request.body);
    const route = deps.routes.get(body.model);
    if (!route) {
      throw new StormlabError('GW_NO_UPSTREAM', `no route serves model "${body.model}"`, [
        { path: 'model', expected: `one of ${routed}`, received: body.model },
      ]);
    }
    const call = new Call(request.id, route, body, deps.totalMs);
    current = call;
    labels.model = route.model;
    labels.stream = String(call.stream);

    let result: AttemptResult;
    try {
      result = await deps.dispatch(call);
    } finally {
      reply.header('x-stormlab-attempts', String(call.attempts.length));
      if (call.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(call.retryAfterMs / 1000)));
    }
    if (!result.reply) throw new StormlabError('GW_INTERNAL', 'an attempt was committed without a reply');
    return respond(request, reply, call, result, result.reply, deps);
  });
}
