/**
 * Two real gateway instances, one real fleet, one real redis-server: a hard budget, a rate limit, the exact
 * cache and breaker state are shared, so together the instances act as one gateway — they never
 * spend past a cap by more than 1 %, one serves what the other cached, and one skips a target the
 * other found down (an instance started later too). Without Redis the same two overspend.
 * Redis timeouts are generous here: on a loaded test machine a short one would send an instance
 * to its in-process fallback, which redis-outage.test.ts covers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import type { SpendReport } from '../../gateway/admission/spend-report.js';
import type { GatewayConfigInput } from '../../gateway/index.js';
import { KEY } from '../helpers/gateway-lab.js';
import {
  eventually,
  startInstance,
  startInstancesOnRedis,
  startLabFleet,
  type Fleet,
  type Instance,
  type InstancesOnRedis,
} from '../helpers/gateway-instances.js';
import type { TestRedis } from '../helpers/redis.js';

const CAPPED = 'sk-test-capped-shared-01';
const LIMIT_USD = 0.001;
const LIMITED = 'sk-test-limited-shared-01';
/** a request limit both instances count against; it refills too slowly to matter within a test */
const RPH = 30;
/** long enough for the assertions made while a breaker is open, short enough to wait out */
const COOL_DOWN_MS = 5_000;
const auth = (k = KEY): Record<string, string> => ({ authorization: `Bearer ${k}` });

function config(redisUrl: string | undefined, prefix: string): Partial<GatewayConfigInput> & Pick<GatewayConfigInput, 'routes'> {
  return {
    routes: [
      { model: 'm1', targets: [{ upstream: 'oai/a' }] },
      { model: 'pair', targets: [{ upstream: 'oai/a', model: 'm2' }, { upstream: 'oai/b', model: 'm2' }] },
    ],
    keys: [
      { id: 'tester', key: KEY, tenant: 't1' },
      { id: 'capped', key: CAPPED, tenant: 'capped' },
      { id: 'limited', key: LIMITED, tenant: 'limited' },
    ],
    limits: [{ id: 'limited-rph', per: 'key', match: { key: 'limited' }, requests: `${RPH}/h` }],
    budgets: [{ id: 'capped-daily', per: 'tenant', match: { tenant: 'capped' }, limitUsd: LIMIT_USD, period: 'day' }],
    cache: { routes: { m1: {} } },
    breaker: { consecutiveFailures: 2, coolDownMs: COOL_DOWN_MS, maxCoolDownMs: COOL_DOWN_MS },
    retry: { sameTargetRetries: 0 },
    ...(redisUrl ? { redis: { url: redisUrl, keyPrefix: prefix, breakerSyncMs: 100, connectTimeoutMs: 5_000, commandTimeoutMs: 2_000 } } : {}),
  };
}

async function spend(i: Instance): Promise<SpendReport> {
  return (await (await fetch(`${i.url}/admin/spend`)).json()) as SpendReport;
}

/** `count` distinct requests with `key`, `concurrency` at a time, alternating between the instances. */
async function spendDown(instances: readonly Instance[], count: number, concurrency: number, key = CAPPED): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const body = { model: 'm1', messages: [{ role: 'user', content: `order ${i}: ${randomUUID()}` }], max_tokens: 12 };
      const res = await postChat((instances[i % instances.length] as Instance).url, body, auth(key));
      await res.arrayBuffer();
      statuses.push(res.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

const ledgerCost = (fleet: Fleet, since: number): number =>
  fleet.ledger.slice(since).reduce((s, e) => s + (e.status === 200 ? ((e as { costUsd?: number }).costUsd ?? 0) : 0), 0);

describe('two gateway instances on one Redis', () => {
  let lab: InstancesOnRedis;
  let redis: TestRedis;
  let fleet: Fleet;
  let a: Instance;
  let b: Instance;
  const prefix = `shared${randomUUID().slice(0, 6)}:`;

  beforeAll(async () => {
    lab = await startInstancesOnRedis((url) => config(url, prefix));
    ({ redis, fleet } = lab);
    [a, b] = lab.instances as [Instance, Instance];
  });
  afterAll(() => lab?.close());

  it('say they hold shared state in Redis', async () => {

    expect(await a.metric('stormlab_gateway_state_backend{backend="redis"}')).toBe(1);
    expect(await b.metric('stormlab_gateway_state_backend{backend="memory"}')).toBe(0);
    expect((await spend(a)).store).toBe('redis');
  });

  it('never spend past a hard budget together by more than 1 % under concurrent load', async () => {
    const since = fleet.ledger.length;
    const statuses = await spendDown([a, b], 120, 16);
    expect(statuses.filter((s) => s !== 200 && s !== 402)).toEqual([]);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(20);
    const [ra, rb] = await eventually(
      () => Promise.all([spend(a), spend(b)]),
      ([x, y]) => x.totalUsd === y.totalUsd && x.totalUsd === ledgerCost(fleet, since),
    );
    const billed = ledgerCost(fleet, since);
    // both instances read the one counter, and it is what the fleet billed
    expect(ra.budgets.find((x) => x.id === 'capped-daily')?.spentUsd).toBeCloseTo(billed, 9);
    expect(rb.totalUsd).toBeCloseTo(billed, 9);
    expect(billed).toBeLessThanOrEqual(LIMIT_USD * 1.01);
    expect(billed).toBeGreaterThan(LIMIT_USD * 0.9);
  });

  it('never let through more than one rate limit together under concurrent load', async () => {
    const statuses = await spendDown([a, b], 90, 16, LIMITED);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    // one bucket in Redis: the two instances together admit the limit's burst, not twice it
    expect(statuses.filter((s) => s === 200)).toHaveLength(RPH);
    const refused = await postChat(a.url, { model: 'm1', messages: [{ role: 'user', content: 'one more' }] }, auth(LIMITED));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('limited-rph');
  });

  it('serve from one instance what the other cached (exact cache in Redis)', async () => {
    const body = { model: 'm1', messages: [{ role: 'user', content: `cache me ${randomUUID()}` }] };
    const first = await postChat(a.url, body, auth());
    expect(first.headers.get('x-gateway-cache')).toBe('miss');
    await first.json();
    const hit = await eventually(
      async () => {
        const r = await postChat(b.url, body, auth());
        await r.arrayBuffer();
        return r;
      },
      (r) => r.headers.get('x-gateway-cache') === 'exact',
      2_000,
    );
    expect(hit.headers.get('x-gateway-cache')).toBe('exact');
    expect(hit.headers.get('x-gateway-cache-source')).toBe(first.headers.get('x-request-id'));
  });

  it('skip a target another instance found down (one started later too), and take it back when one finds it up', async () => {
    const state = 'stormlab_gateway_breaker_state{upstream="oai/a",model="m2"}';
    const ask = { model: 'pair', messages: [{ role: 'user', content: 'hello' }] };
    await fleet.fault({ id: 'a-down', fault: 'http-error', scope: { provider: 'oai', region: 'a' }, params: { statuses: [500] } });
    try {
      // two failures on instance a open its breaker (each request still served by oai/b)
      for (let n = 0; n < 2; n++) expect((await postChat(a.url, ask, auth())).status).toBe(200);
      expect(await a.metric(state)).toBe(2);
      expect(await eventually(() => b.metric(state), (v) => v === 2, 3_000)).toBe(2);
      const before = fleet.ledger.filter((e) => e.region === 'a').length;
      const res = await postChat(b.url, ask, auth());
      expect(res.status).toBe(200);
      expect(res.headers.get('x-gateway-upstream')).toBe('oai/b');
      expect(res.headers.get('x-gateway-attempts')).toBe('1');
      expect(fleet.ledger.filter((e) => e.region === 'a').length).toBe(before);
      const c = await lab.add();
      expect(await c.metric(state)).toBe(2);
    } finally {
      await fleet.reset();
    }
    // after the cool-down, instance a's probes find oai/a up and close its breaker …
    const closed = await eventually(
      async () => {
        expect((await postChat(a.url, ask, auth())).status).toBe(200);
        return a.metric(state);
      },
      (v) => v === 0,
      COOL_DOWN_MS + 10_000,
    );
    expect(closed).toBe(0);
    // … and the others close theirs without sending a request of their own
    for (const other of lab.instances.slice(1)) expect(await eventually(() => other.metric(state), (v) => v === 0, 3_000)).toBe(0);
  });
});

describe('two gateway instances without Redis (control)', () => {
  it('each keep their own budget counter and bucket, so together they overspend and over-admit', async () => {
    const fleet = await startLabFleet();
    const prefix = 'unused:';
    const pair = await Promise.all([startInstance(fleet, config(undefined, prefix)), startInstance(fleet, config(undefined, prefix))]);
    try {
      await spendDown(pair, 120, 16);
      expect(ledgerCost(fleet, 0)).toBeGreaterThan(LIMIT_USD * 1.5);
      expect((await spend(pair[0])).store).toBe('memory');
      // and each its own bucket: twice the limit gets through
      const statuses = await spendDown(pair, 90, 16, LIMITED);
      expect(statuses.filter((s) => s === 200)).toHaveLength(2 * RPH);
    } finally {
      await Promise.all(pair.map((i) => i.gw.close()));
      await fleet.fleet.close();
    }
  });
});
