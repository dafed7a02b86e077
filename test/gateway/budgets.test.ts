/**
 * Budgets and spend against the real mock fleet: a hard cap refuses with its name and reset,
 * a soft cap degrades to a cheaper route and says so, streamed answers are billed (also when
 * cut or abandoned mid-stream), and /admin/spend answers only loopback callers or admin keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat, streamChat } from '../../mock-providers/test-helpers.js';
import { PRICES, startGatewayLab, KEY, type GatewayLab } from '../helpers/gateway-lab.js';
import type { SpendReport } from '../../gateway/admission/spend-report.js';

const ask = { model: 'm1', messages: [{ role: 'user', content: 'hello there, how are you today?' }], max_tokens: 12 };
const bearer = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });
const K = {
  capped: 'sk-test-capped-key-0001',
  thrifty: 'sk-test-thrifty-key-001',
  plain: 'sk-test-plain-key-00001',
  streamer: 'sk-test-streamer-key-01',
  cutter: 'sk-test-cutter-key-0001',
  leaver: 'sk-test-leaver-key-0001',
  admin: 'sk-test-admin-key-00001',
  burst: 'sk-test-burst-key-00001',
};
const HARD_LIMIT = 0.0001;

async function spend(lab: GatewayLab, key = K.admin): Promise<SpendReport> {
  const res = await fetch(`${lab.url}/admin/spend`, { headers: bearer(key) });
  expect(res.status).toBe(200);
  return (await res.json()) as SpendReport;
}

/** Poll /admin/spend until the key's spend is over `above` (settle bills once the response is over). */
async function spentBy(lab: GatewayLab, keyId: string, above = 0): Promise<number> {
  let v = 0;
  const end = Date.now() + 3000;
  while (Date.now() < end) {
    v = (await spend(lab)).by.key?.[keyId] ?? 0;
    if (v > above) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return v;
}

describe('budgets and spend', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [
        { model: 'm1', targets: [{ upstream: 'oai/a' }] },
        { model: 'cheap', targets: [{ upstream: 'oai/b', model: 'm2' }] },
      ],
      prices: { ...PRICES, m2: { input: 0.1, cachedInput: 0.01, output: 0.2 } },
      keys: [
        { id: 'tester', key: KEY, tenant: 't1' },
        { id: 'capped', key: K.capped, tenant: 't2' },
        { id: 'thrifty', key: K.thrifty, tenant: 't3' },
        { id: 'plain', key: K.plain, tenant: 't4' },
        { id: 'streamer', key: K.streamer, tenant: 't5' },
        { id: 'cutter', key: K.cutter, tenant: 't6' },
        { id: 'leaver', key: K.leaver, tenant: 't7' },
        { id: 'ops', key: K.admin, tenant: 'ops', admin: true },
        { id: 'burst', key: K.burst, tenant: 't8' },
      ],
      budgets: [
        { id: 'capped-hourly', per: 'key', match: { key: 'capped' }, limitUsd: HARD_LIMIT, period: 'hour' },
        { id: 'burst-daily', per: 'tenant', match: { tenant: 't8' }, limitUsd: 0.0003, period: 'day' },
        { id: 'thrifty-soft', per: 'tenant', match: { tenant: 't3', model: 'm1' }, mode: 'soft', limitUsd: 0.00005, period: 'day', degradeTo: 'cheap' },
      ],
      // the test runs on loopback: only the admin key opens /admin here
      admin: { loopback: false },
    });
  });
  afterAll(() => lab.close());

  it('a hard budget refuses with its name, its spend and when it resets (402, Retry-After to the reset)', async () => {
    let spent = 0;
    let refused: Response | undefined;
    for (let i = 0; i < 12 && !refused; i++) {
      const res = await postChat(lab.url, ask, bearer(K.capped));
      if (res.status === 402) refused = res;
      else {
        expect(res.status).toBe(200);
        spent += ((await res.json()) as { usage: { cost_usd: number } }).usage.cost_usd;
      }
    }
    expect(refused, 'the budget should refuse within 12 requests').toBeDefined();
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(HARD_LIMIT);
    const body = (await refused!.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error.code).toBe('GW_BUDGET_EXCEEDED');
    expect(body.error.type).toBe('insufficient_quota');
    const reset = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
    expect(body.error.message).toContain(`budget "capped-hourly" for key "capped"`);
    expect(body.error.message).toContain(`of $0.0001 per hour`);
    expect(body.error.message).toContain(`resets at ${reset}`);
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(Math.abs(retryAfter - (Date.parse(reset) - Date.now()) / 1000)).toBeLessThan(5);
    // the cap is per key: another key carries on
    expect((await postChat(lab.url, ask, bearer(K.plain))).status).toBe(200);
    // /admin/spend shows the budget with the real cost in place of the reservations
    expect(await spentBy(lab, 'capped')).toBeCloseTo(spent, 12);
    const state = (await spend(lab)).budgets.find((b) => b.id === 'capped-hourly');
    expect(state).toMatchObject({ subject: 'capped', limitUsd: HARD_LIMIT, resetsAt: reset });
    expect(state!.spentUsd).toBeCloseTo(spent, 12);
    const metrics = await (await fetch(`${lab.url}/metrics`)).text();
    expect(metrics).toMatch(/stormlab_gateway_budget_remaining_usd\{budget="capped-hourly",subject="capped"\} [0-9.e-]+/);
    expect(metrics).toContain('stormlab_gateway_budget_actions_total{budget="capped-hourly",action="refused"} 1');
  });

  it('concurrent requests never take a hard budget over its cap together', async () => {
    const all = await Promise.all(Array.from({ length: 30 }, () => postChat(lab.url, ask, bearer(K.burst))));
    const served = all.filter((r) => r.status === 200);
    expect(all.filter((r) => r.status === 402).length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(0);
    let total = 0;
    for (const r of served) total += ((await r.json()) as { usage: { cost_usd: number } }).usage.cost_usd;
    expect(total).toBeLessThanOrEqual(0.0003);
  });

  it('a soft budget degrades to the cheaper route once reached, and says so', async () => {
    let degraded: Response | undefined;
    let billed = 0;
    for (let i = 0; i < 12 && !degraded; i++) {
      const res = await postChat(lab.url, ask, bearer(K.thrifty));
      expect(res.status).toBe(200);
      if (res.headers.get('x-gateway-degraded')) degraded = res;
      else expect(res.headers.get('x-gateway-model')).toBe('m1');
      await res.arrayBuffer();
      billed = await spentBy(lab, 'thrifty', billed);
    }
    expect(degraded, 'the soft budget should degrade within 12 requests').toBeDefined();
    expect(degraded!.headers.get('x-gateway-degraded')).toBe('budget=thrifty-soft; from=m1; to=cheap');
    expect(degraded!.headers.get('x-gateway-model')).toBe('m2');
    expect(degraded!.headers.get('x-gateway-route')).toBe('cheap');
  });

  it('bills a streamed answer like the same answer unstreamed (usage chunk not asked for)', async () => {
    const json = await postChat(lab.url, ask, bearer(K.plain));
    const cost = ((await json.json()) as { usage: { cost_usd: number } }).usage.cost_usd;
    const s = await streamChat(lab.url, ask, bearer(K.streamer));
    expect(s.done).toBe(true);
    expect(await spentBy(lab, 'streamer')).toBeCloseTo(cost, 12);
    const metrics = await (await fetch(`${lab.url}/metrics`)).text();
    expect(metrics).toMatch(/stormlab_gateway_spend_usd_total\{tenant="t5",key="streamer",model="m1"\} [0-9.e-]+/);
  });

  it('bills a stream cut mid-answer, and one the client abandoned, for what was generated', async () => {
    const json = await postChat(lab.url, ask, bearer(K.plain));
    const u = ((await json.json()) as { usage: { cost_usd: number; prompt_tokens: number } }).usage;
    const promptOnly = u.prompt_tokens / 1e6; // input price 1 per 1M
    await lab.fault({ fault: 'stream-cut', scope: { provider: 'oai', region: 'a' }, params: { afterTokens: 5 } });
    try {
      const cut = await streamChat(lab.url, ask, bearer(K.cutter));
      expect(cut.done).toBe(false);
      const billed = await spentBy(lab, 'cutter');
      expect(billed).toBeGreaterThan(promptOnly);
      expect(billed).toBeLessThan(u.cost_usd);
    } finally {
      await lab.reset();
    }
    const left = await streamChat(lab.url, ask, bearer(K.leaver), (e) => Boolean(e.json?.choices?.[0]?.delta?.content));
    expect(left.done).toBe(false);
    const billed = await spentBy(lab, 'leaver');
    expect(billed).toBeGreaterThan(promptOnly);
    expect(billed).toBeLessThan(u.cost_usd);
  });

  it('/admin/spend answers an admin key only (loopback not trusted here), never echoing a key', async () => {
    const none = await fetch(`${lab.url}/admin/spend`);
    expect(none.status).toBe(401);
    const other = await fetch(`${lab.url}/admin/spend`, { headers: bearer(K.plain) });
    expect(other.status).toBe(403);
    const text = await other.text();
    expect(text).toContain('key \\"plain\\" is not an admin key');
    expect(text).not.toContain(K.plain);
    const report = await spend(lab);
    expect(report.store).toBe('memory');
    expect(report.totalUsd).toBeGreaterThan(0);
    expect(Object.keys(report.by)).toEqual(['tenant', 'key', 'user', 'feature', 'model']);
  });
});
