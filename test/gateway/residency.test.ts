/**
 * Residency against the real mock fleet: a tenant pinned to region `b` is never served from
 * region `a` — not when `a` is the route's first choice, not on failover, not on a stream's
 * continuation — and with every lawful target down it gets its configured error or waits.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postChat, streamChat } from '../../mock-providers/test-helpers.js';
import { startGatewayLab, KEY, type GatewayLab } from '../helpers/gateway-lab.js';

const PINNED = 'sk-test-pinned-key-0001';
const PATIENT = 'sk-test-patient-key-001';
const ask = { model: 'm1', messages: [{ role: 'user', content: 'hello there' }], max_tokens: 12 };
const bearer = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });

describe('residency', () => {
  let lab: GatewayLab;
  const callsTo = (endpoint: string): number => lab.ledger.filter((l) => l.endpoint === endpoint).length;

  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [
        { model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }] },
        { model: 'only-a', targets: [{ upstream: 'oai/a', model: 'm1' }] },
        // a cut stream on oai/b would be continued on ant/a (prefill) — but not for a tenant pinned to b
        { model: 'cont', targets: [{ upstream: 'oai/b', model: 'm1' }, { upstream: 'ant/a', model: 'claude-x' }] },
      ],
      keys: [
        { id: 'tester', key: KEY, tenant: 't1', maxPriority: 'P0' },
        { id: 'pinned', key: PINNED, tenant: 'eu-bank' },
        { id: 'patient', key: PATIENT, tenant: 'eu-patient' },
      ],
      tenants: {
        'eu-bank': { residency: { regions: ['b'], whenDown: 'error' } },
        'eu-patient': { residency: { regions: ['b'], whenDown: 'wait', maxWait: '2s' } },
      },
      // breakers stay closed: every request meets the outage itself
      breaker: { minRequests: 1000, consecutiveFailures: 1000 },
    });
  });
  afterAll(() => lab.close());
  afterEach(() => lab.reset());

  it('serves a pinned tenant from its region even where the route prefers another', async () => {
    const before = callsTo('oai/a');
    for (let i = 0; i < 4; i++) {
      const r = i % 2 === 0 ? await postChat(lab.url, ask, bearer(PINNED)) : await streamChat(lab.url, ask, bearer(PINNED));
      expect(r.status).toBe(200);
      expect(r.headers.get('x-gateway-region')).toBe('b');
    }
    expect(callsTo('oai/a')).toBe(before);
    // the same route serves an unpinned key from its first choice
    const free = await postChat(lab.url, ask, lab.headers());
    expect(free.headers.get('x-gateway-region')).toBe('a');
  });

  it('holds residency while the pinned region is down: 503 with Retry-After, nothing sent elsewhere', async () => {
    await lab.fault({ fault: 'outage-refuse', scope: { provider: 'oai', region: 'b' } });
    const before = callsTo('oai/a');
    const res = await postChat(lab.url, ask, bearer(PINNED));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('GW_RESIDENCY_UNAVAILABLE');
    expect(body.error.message).toMatch(/region b \(tenant "eu-bank"\) is up/);
    expect(body.error.message).toMatch(/never sent to another region/);
    const s = await streamChat(lab.url, ask, bearer(PINNED));
    expect(s.status).toBe(503);
    expect(callsTo('oai/a')).toBe(before);
    // an unpinned key fails over to region a as usual
    const free = await postChat(lab.url, ask, lab.headers());
    expect(free.status).toBe(200);
    expect(free.headers.get('x-gateway-region')).toBe('a');
  });

  it('waits (bounded) for the pinned region when the tenant says so, and is served once it is back', async () => {
    await lab.fault({ fault: 'outage-refuse', scope: { provider: 'oai', region: 'b' }, for: '700ms' });
    const before = callsTo('oai/a');
    const t0 = performance.now();
    const res = await postChat(lab.url, ask, bearer(PATIENT));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-region')).toBe('b');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(600);
    expect(callsTo('oai/a')).toBe(before);
  });

  it('a wait ends in the residency error at maxWait when the region stays down', async () => {
    await lab.fault({ fault: 'outage-refuse', scope: { provider: 'oai', region: 'b' } });
    const t0 = performance.now();
    const res = await postChat(lab.url, ask, bearer(PATIENT));
    const took = performance.now() - t0;
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toMatch(/after waiting up to 2000ms/);
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(8000);
  });

  it('/admin/spend answers a loopback caller without an admin key by default', async () => {
    const res = await fetch(`${lab.url}/admin/spend`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { store: string }).store).toBe('memory');
  });

  it('refuses a model with no target in the pinned regions (403)', async () => {
    const res = await postChat(lab.url, { ...ask, model: 'only-a' }, bearer(PINNED));
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('GW_RESIDENCY_NO_TARGET');
    expect(body.error.message).toMatch(/"only-a" has no target in region b/);
  });

  it('never continues a cut stream in another region', async () => {
    await lab.fault({ fault: 'stream-cut', scope: { provider: 'oai', region: 'b' }, params: { afterTokens: 4 } });
    // unpinned: the cut answer is continued on ant/a (prefill), so the client sees a whole answer
    const free = await streamChat(lab.url, { ...ask, model: 'cont' }, lab.headers());
    expect(free.done).toBe(true);
    const before = callsTo('ant/a');
    const r = await streamChat(lab.url, { ...ask, model: 'cont' }, bearer(PINNED));
    expect(r.done).toBe(false);
    expect((r.events.at(-1)?.json as { error?: { code?: string } } | null)?.error?.code).toBe('GW_STREAM_INTERRUPTED');
    expect(callsTo('ant/a')).toBe(before);
  });
});

describe('residency with the pinned region behind an open breaker', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }] }],
      keys: [{ id: 'pinned', key: PINNED, tenant: 'eu-bank' }],
      tenants: { 'eu-bank': { residency: { regions: ['b'] } } },
      breaker: { consecutiveFailures: 2, coolDownMs: 30_000 },
      retry: { sameTargetRetries: 0 },
    });
  });
  afterAll(() => lab.close());

  it('answers at once, without an attempt, with Retry-After until the breaker may half-open', async () => {
    await lab.fault({ fault: 'outage-refuse', scope: { provider: 'oai', region: 'b' } });
    for (let i = 0; i < 2; i++) expect((await postChat(lab.url, ask, bearer(PINNED))).status).toBe(503); // opens the breaker
    const before = lab.ledger.length;
    const second = await postChat(lab.url, ask, bearer(PINNED));
    expect(second.status).toBe(503);
    expect(second.headers.get('x-gateway-attempts')).toBeNull();
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(20);
    const body = (await second.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('GW_RESIDENCY_UNAVAILABLE');
    expect(body.error.message).toMatch(/oai\/b:m1: circuit open/);
    expect(lab.ledger.length).toBe(before);
  });
});
