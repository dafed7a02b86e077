/**
 * Redis going away under two real gateway instances: SIGKILLed mid-load, every request is still
 * answered (no 5xx, no hang), /metrics and one log line per instance say the state is in process;
 * an instance started while Redis is down serves too; when Redis is back every instance returns
 * to it and hands over the spend it billed meanwhile. A Redis that stops answering without
 * closing its connections (SIGSTOP) is left behind within the command timeout.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import type { SpendReport } from '../../gateway/admission/spend-report.js';
import type { GatewayConfigInput } from '../../gateway/index.js';
import { KEY } from '../helpers/gateway-lab.js';
import { eventually, startInstancesOnRedis, type Instance, type InstancesOnRedis } from '../helpers/gateway-instances.js';
import type { TestRedis } from '../helpers/redis.js';

const ON_REDIS = 'stormlab_gateway_state_backend{backend="redis"}';
const ON_MEMORY = 'stormlab_gateway_state_backend{backend="memory"}';
const FALLBACK_LINE = 'serving from in-process state';
/** a request not answered within this counts as hung */
const HANG_MS = 10_000;

function config(url: string, prefix: string): Partial<GatewayConfigInput> & Pick<GatewayConfigInput, 'routes'> {
  return {
    routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }] }],
    budgets: [{ id: 'roomy', per: 'tenant', limitUsd: 100, period: 'day' }],
    cache: { routes: { m1: {} } },
    redis: { url, keyPrefix: prefix, commandTimeoutMs: 300, probeMs: 100 },
  };
}

async function ask(i: Instance, text = randomUUID()): Promise<{ status: number; cost: number }> {
  const body = { model: 'm1', messages: [{ role: 'user', content: `question ${text}` }], max_tokens: 12 };
  const res = await fetch(`${i.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(HANG_MS),
  });
  const json = (await res.json()) as { usage?: { cost_usd?: number } };
  return { status: res.status, cost: json.usage?.cost_usd ?? 0 };
}

const spend = async (i: Instance): Promise<number> => ((await (await fetch(`${i.url}/admin/spend`)).json()) as SpendReport).totalUsd;
const fallbackLines = (i: Instance): number => i.logs.filter((l) => l.includes(FALLBACK_LINE)).length;

describe('Redis outage under two gateway instances', () => {
  let lab: InstancesOnRedis;
  let redis: TestRedis;
  let a: Instance;
  let b: Instance;
  const prefix = `outage${randomUUID().slice(0, 6)}:`;

  beforeAll(async () => {
    lab = await startInstancesOnRedis((url) => config(url, prefix));
    ({ redis } = lab);
    [a, b] = lab.instances as [Instance, Instance];
  });
  afterAll(() => lab?.close());

  it('keeps serving when Redis is killed mid-load, and says so in a metric and one log line', async () => {
    for (const i of [a, b]) expect(await eventually(() => i.metric(ON_REDIS), (v) => v === 1)).toBe(1);
    const statuses: number[] = [];
    let next = 0;
    let killed: Promise<void> | undefined;
    const worker = async (): Promise<void> => {
      while (next < 60) {
        const n = next++;
        if (n === 20) killed = redis.kill();
        statuses.push((await ask(n % 2 ? a : b)).status);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    await killed;
    expect(statuses).toHaveLength(60);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // a request after the outage began went to in-process state at once
    for (const i of [a, b]) {
      expect((await ask(i)).status).toBe(200);
      expect(await i.metric(ON_MEMORY)).toBe(1);
      expect(await i.metric(ON_REDIS)).toBe(0);
      expect(await i.metric('stormlab_gateway_state_fallbacks_total')).toBe(1);
      expect(fallbackLines(i)).toBe(1);
    }
    const line = JSON.parse(a.logs.find((l) => l.includes(FALLBACK_LINE)) ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, state: 'memory', redis: `127.0.0.1:${redis.port}` });
  });

  it('starts an instance while Redis is down, then every instance returns to Redis with the spend billed meanwhile', async () => {
    const c = await lab.add();
    expect(await c.metric(ON_MEMORY)).toBe(1);
    let outageCost = 0;
    for (const i of [a, b, c, a, b, c]) {
      const r = await ask(i);
      expect(r.status).toBe(200);
      outageCost += r.cost;
    }
    expect(outageCost).toBeGreaterThan(0);
    // (the restarted Redis kept nothing: it runs without persistence, as many caches do)
    await redis.restart();
    for (const i of [a, b, c]) {
      expect(await eventually(() => i.metric(ON_REDIS), (v) => v === 1)).toBe(1);
      expect(i.logs.some((l) => l.includes('shared state: on Redis') && l.includes('Redis answers again'))).toBe(true);
    }
    // one counter again, holding what each instance billed while away
    const totals = await Promise.all([a, b, c].map(spend));
    expect(new Set(totals).size).toBe(1);
    expect(totals[0]).toBeGreaterThanOrEqual(outageCost - 1e-12);
    const before = totals[0] as number;
    const r = await ask(b);
    expect(await eventually(() => spend(a), (v) => v > before, 3_000)).toBeCloseTo(before + r.cost, 12);
  });

  it('leaves a Redis that stops answering behind within the command timeout, and comes back when it answers', async () => {
    for (const i of [a, b]) expect(await eventually(() => i.metric(ON_REDIS), (v) => v === 1)).toBe(1);
    redis.pause();
    try {
      const results = await Promise.all([ask(a), ask(b), ask(a), ask(b)]);
      expect(results.map((x) => x.status)).toEqual([200, 200, 200, 200]);
      for (const i of [a, b]) {
        expect(await i.metric(ON_MEMORY)).toBe(1);
        expect(fallbackLines(i)).toBe(2);
      }
    } finally {
      redis.resume();
    }
    for (const i of [a, b]) expect(await eventually(() => i.metric(ON_REDIS), (v) => v === 1)).toBe(1);
    expect((await ask(a)).status).toBe(200);
  });
});
