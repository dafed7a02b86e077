/** Failover, retries and Retry-After against the real mock fleet (faults through its control API). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postChat, streamChat } from '../../mock-providers/test-helpers.js';
import { startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

const ask = { model: 'm1', messages: [{ role: 'user', content: 'hello there' }], max_tokens: 12 };

describe('failover and retries', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [
        { model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }] },
        { model: 'solo', targets: [{ upstream: 'oai/a', model: 'm1' }] },
      ],
      breaker: { minRequests: 1000, consecutiveFailures: 1000 },
      retry: { maxAttempts: 4 },
    });
  });
  afterAll(() => lab.close());
  afterEach(() => lab.reset());

  it('serves from the primary when it is healthy, and says so in the headers', async () => {
    const res = await postChat(lab.url, ask, lab.headers());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-upstream')).toBe('oai/a');
    expect(res.headers.get('x-gateway-attempts')).toBe('1');
    expect(res.headers.get('x-gateway-strategy')).toBe('priority');
    const body = (await res.json()) as { usage: { cost_usd: number; completion_tokens: number } };
    expect(body.usage.completion_tokens).toBe(12);
    expect(body.usage.cost_usd).toBeGreaterThan(0);
  });

  it('fails over a refused connection before the first content, invisibly to a streaming client', async () => {
    await lab.fault({ fault: 'outage-refuse', scope: { provider: 'oai', region: 'a' } });
    const r = await streamChat(lab.url, ask, lab.headers());
    expect(r.status).toBe(200);
    expect(r.done).toBe(true);
    expect(r.headers.get('x-gateway-upstream')).toBe('oai/b');
    expect(r.headers.get('x-gateway-attempts')).toBe('2');
    expect(r.events.some((e) => e.json && 'error' in e.json)).toBe(false);
  });

  it('fails over a stream cut before any content, so the client sees one clean answer', async () => {
    await lab.fault({ fault: 'stream-cut', scope: { provider: 'oai', region: 'a' }, params: { afterTokens: 0 } });
    const r = await streamChat(lab.url, ask, lab.headers());
    expect(r.done).toBe(true);
    expect(r.headers.get('x-gateway-upstream')).toBe('oai/b');
    const text = r.events.map((e) => e.json?.choices?.[0]?.delta?.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
  });

  it('retries a one-off 500 once on the same target', async () => {
    await lab.fault({ fault: 'http-error', scope: { provider: 'oai', region: 'a' }, params: { statuses: [500] }, for: '150ms' });
    const res = await postChat(lab.url, { ...ask, model: 'solo' }, lab.headers());
    // the fault may end before or after the retry: either way the single target is tried again, never hammered
    const attempts = Number(res.headers.get('x-gateway-attempts'));
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(4);
  });

  it('honours Retry-After: waits and retries the same target when there is no fallback', async () => {
    await lab.fault({ fault: 'rate-limit', scope: { provider: 'oai', region: 'a' }, params: { retryAfterS: 1 }, for: '600ms' });
    const t0 = performance.now();
    const res = await postChat(lab.url, { ...ask, model: 'solo' }, lab.headers());
    const took = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-attempts')).toBe('2');
    expect(took).toBeGreaterThanOrEqual(950);
    const calls = lab.ledger.filter((l) => l.status === 429);
    expect(calls.length).toBeGreaterThanOrEqual(1);
  });

  it('on a 429 whose Retry-After is long, fails over at once and cools the target down (no hammering)', async () => {
    await lab.fault({ fault: 'rate-limit', scope: { provider: 'oai', region: 'a' }, params: { retryAfterS: 30 } });
    const first = await postChat(lab.url, ask, lab.headers());
    expect(first.status).toBe(200);
    expect(first.headers.get('x-gateway-upstream')).toBe('oai/b');
    const before = lab.ledger.filter((l) => l.endpoint === 'oai/a').length;
    const second = await postChat(lab.url, ask, lab.headers());
    expect(second.headers.get('x-gateway-upstream')).toBe('oai/b');
    expect(second.headers.get('x-gateway-attempts')).toBe('1');
    expect(lab.ledger.filter((l) => l.endpoint === 'oai/a').length).toBe(before);
  });

  it('when nothing can serve, answers its own 503/429 with Retry-After and a message saying why', async () => {
    await lab.fault({ fault: 'rate-limit', scope: { provider: 'oai' }, params: { retryAfterS: 20 } });
    const res = await postChat(lab.url, ask, lab.headers());
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { error: { message: string; code: string; type: string } };
    expect(body.error.code).toBe('GW_UPSTREAM_RATE_LIMITED');
    expect(body.error.type).toBe('rate_limit_error');
    const again = await postChat(lab.url, ask, lab.headers());
    expect(again.status).toBe(429);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/rate-limited|cooling/);
  });
});

describe('the retry budget', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }] }],
      breaker: { minRequests: 1000, consecutiveFailures: 1000 },
      // no retries at all: every further attempt must come from somewhere other than the budget
      retry: { maxAttempts: 4, sameTargetRetries: 0, budget: { ratio: 0, minPerSecond: 0 } },
    });
  });
  afterAll(() => lab.close());
  afterEach(() => lab.reset());

  // first: the 429 case below cools oai/a down for a second, which would route this one around it
  it('still bounds failovers away from failing targets: with none left, the 5xx ends the request', async () => {
    await lab.fault({ fault: 'http-error', scope: { provider: 'oai', region: 'a' }, params: { statuses: [500] } });
    const res = await postChat(lab.url, ask, lab.headers());
    expect(res.status).toBeGreaterThanOrEqual(500);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('retry budget');
    expect(lab.ledger.filter((l) => l.endpoint === 'oai/b')).toHaveLength(0);
  });

  it('is not drawn on by a failover away from a 429: the load moves off the limited target, it does not grow', async () => {
    await lab.fault({ fault: 'rate-limit', scope: { provider: 'oai', region: 'a' }, params: { retryAfterS: 1 } });
    const res = await postChat(lab.url, ask, lab.headers());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-upstream')).toBe('oai/b');
    expect(res.headers.get('x-gateway-attempts')).toBe('2');
  });
});
