/**
 * A route's `timeouts.totalMs` ends a request that outlives it with a 504 in the error shape,
 * while requests within it are served — many at once, on the shared deadline timers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import { LAB_FLEET, model, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

describe('the request deadline', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        routes: [
          // a slow model: its first token comes after 600 ms, past the route's total of 150 ms
          { model: 'm2', targets: [{ upstream: 'oai/a' }], timeouts: { totalMs: 150 } },
          { model: 'm1', targets: [{ upstream: 'oai/a' }], timeouts: { totalMs: 5000 } },
        ],
      },
      {
        ...LAB_FLEET,
        providers: [
          { ...LAB_FLEET.providers[0], models: [model('m1', 5, 1, 4), model('m2', 600, 1, 4)] },
          ...LAB_FLEET.providers.slice(1),
        ],
      },
    );
  });
  afterAll(() => lab.close());

  it('a request past its route total gets a 504 soon after it, the others are served', async () => {
    const ask = (m: string): Promise<Response> =>
      postChat(lab.url, { model: m, messages: [{ role: 'user', content: 'x' }], max_tokens: 4 }, lab.headers());
    const t0 = performance.now();
    const [slow, ...fast] = await Promise.all([ask('m2'), ...Array.from({ length: 20 }, () => ask('m1'))]);
    const slowMs = performance.now() - t0;
    expect(slow?.status).toBe(504);
    const body = (await slow?.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'GW_UPSTREAM_TIMEOUT', type: 'upstream_error' });
    expect(body.error.message).toMatch(/totalMs/);
    // ended by the deadline (the upstream would have answered 200 at 600 ms), not before it
    expect(slowMs).toBeGreaterThanOrEqual(140);
    expect(fast.map((r) => r.status)).toEqual(fast.map(() => 200));
  });
});
