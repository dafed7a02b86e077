/**
 * Provider pacing and the priority queue, over HTTP: the real mock fleet with an RPM limit, the
 * real gateway pacing below it. rpm 600 keeps the test short: the band above the sustained rate
 * is 60 requests for queued levels (and 60 more for P0), then 8 requests a second (80 %).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../mock-providers/test-helpers.js';
import { LAB_FLEET, model, startGatewayLab, UPSTREAMS, type GatewayLab } from '../helpers/gateway-lab.js';

const RPM = 600;
/** a slow limit for the queue's ordering and timeouts: a band of 3 requests, then one every 2.5 s */
const SLOW_RPM = 30;

const fleet = (rpm: number) => ({
  ...LAB_FLEET,
  providers: [
    { name: 'oai', format: 'openai', regions: ['a', 'b'], models: [model('m1', 20, 1, 4, { rateLimits: { rpm } })] },
    ...LAB_FLEET.providers.slice(1),
  ],
});

const ask = { model: 'm1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 };

function upstreams(rpm: number, extra: Record<string, unknown> = {}) {
  return UPSTREAMS.map((u) => (u.provider === 'oai' ? { ...u, rpm, ...extra } : u));
}

interface Answer {
  id: string;
  status: number;
  headers: Headers;
  body: { error?: { code: string; type: string; message: string } };
}

async function send(lab: GatewayLab, priority: string, id: string): Promise<Answer> {
  const res = await postChat(lab.url, ask, lab.headers({ 'x-gateway-priority': priority, 'x-request-id': id }));
  return { id, status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

/** `n` requests of a priority at once */
const flood = (lab: GatewayLab, priority: string, prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => send(lab, priority, `${prefix}-${i}`));

async function metric(lab: GatewayLab, re: RegExp): Promise<number> {
  const text = await (await fetch(`${lab.url}/metrics`)).text();
  const m = re.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}
const depth = (lab: GatewayLab, upstream: string, priority: string) =>
  metric(lab, new RegExp(`^stormlab_gateway_queue_depth\\{upstream="${upstream}",model="m1",priority="${priority}"\\} (\\S+)$`, 'm'));

async function until(pred: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const arrivalMs = (lab: GatewayLab, id: string) => Date.parse(lab.ledger.find((l) => l.requestId === id)?.time ?? '');

describe('pacing below a known RPM', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({ upstreams: upstreams(RPM), routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }] }] }, fleet(RPM));
  });
  afterAll(() => lab?.close());

  it('a batch flood: the band goes at once, the rest at ≤ 80 % of the RPM, and the provider never answers 429', async () => {
    const answers = await Promise.all(flood(lab, 'P2', 'flood', 120));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const queued = answers.filter((a) => Number(a.headers.get('x-gateway-queue-ms')) > 0);
    expect(queued.length).toBeGreaterThanOrEqual(10);
    // the provider saw no 429 at all
    expect(lab.ledger.filter((l) => l.status === 429)).toEqual([]);
    // from the first queued request on, everything reached the provider no faster than 80 % of its RPM
    const first = Math.min(...queued.map((a) => arrivalMs(lab, a.id)));
    const times = lab.ledger.map((l) => Date.parse(l.time)).filter((t) => t >= first);
    const spanMin = (Math.max(...times) - first) / 60_000;
    expect(times.length - 1).toBeLessThanOrEqual(0.8 * RPM * spanMin * 1.05 + 1);
  });

  it('exposes queue depth, wait and outcomes per upstream, model and priority', async () => {
    const text = await (await fetch(`${lab.url}/metrics`)).text();
    expect(text).toMatch(/^# TYPE stormlab_gateway_queue_depth gauge$/m);
    expect(text).toMatch(/^stormlab_gateway_queue_depth\{upstream="oai\/a",model="m1",priority="P2"\} 0$/m);
    expect(text).toMatch(/^# TYPE stormlab_gateway_queue_wait_seconds histogram$/m);
    const waited = /^stormlab_gateway_queue_wait_seconds_count\{upstream="oai\/a",model="m1",priority="P2"\} (\d+)$/m.exec(text);
    const admitted = /^stormlab_gateway_queue_outcomes_total\{upstream="oai\/a",model="m1",priority="P2",outcome="admitted"\} (\d+)$/m.exec(text);
    const direct = /^stormlab_gateway_queue_outcomes_total\{upstream="oai\/a",model="m1",priority="P2",outcome="direct"\} (\d+)$/m.exec(text);
    expect(Number(waited?.[1])).toBeGreaterThanOrEqual(10);
    expect(Number(admitted?.[1])).toBe(Number(waited?.[1]));
    expect(Number(admitted?.[1]) + Number(direct?.[1])).toBe(120);
  });
});

describe('the priority queue under saturation', () => {
  let lab: GatewayLab;
  // rpm 60: a band of 6, then one request every 1.25 s
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        upstreams: upstreams(60),
        routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }] }],
        pacing: { levels: { P2: { queueTimeout: '5s' } } },
      },
      fleet(60),
    );
  });
  afterAll(() => lab?.close());

  it('P0 goes straight through and P1 overtakes the P2 requests queued before it', async () => {
    const batch = flood(lab, 'P2', 'batch', 11);
    await until(async () => (await depth(lab, 'oai/a', 'P2')) >= 5);
    const chat = send(lab, 'P1', 'chat-1');
    await until(async () => (await depth(lab, 'oai/a', 'P1')) === 1);
    // P0 is never queued: it is sent at once, past the queued P1 and P2
    const realtime = await send(lab, 'P0', 'realtime-1');
    expect(realtime.status).toBe(200);
    expect(realtime.headers.get('x-gateway-queue-ms')).toBe('0');
    const c = await chat;
    expect(c.status).toBe(200);
    expect(Number(c.headers.get('x-gateway-queue-ms'))).toBeGreaterThan(0);
    // served at the next slot, while every batch request queued before it still waits
    expect(await depth(lab, 'oai/a', 'P2')).toBeGreaterThanOrEqual(5);
    const queuedBatch = (await Promise.all(batch)).filter((a) => Number(a.headers.get('x-gateway-queue-ms')) > 0);
    for (const a of queuedBatch.filter((b) => b.status === 200)) expect(arrivalMs(lab, a.id)).toBeGreaterThanOrEqual(arrivalMs(lab, 'chat-1'));
    expect(arrivalMs(lab, 'realtime-1')).toBeLessThanOrEqual(arrivalMs(lab, 'chat-1'));
  });
});

describe('queue timeout', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        upstreams: upstreams(SLOW_RPM),
        routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }] }],
        pacing: { levels: { P2: { queueTimeout: '1s' } } },
      },
      fleet(SLOW_RPM),
    );
  });
  afterAll(() => lab?.close());

  it("a queued request past its level's timeout gets 503 GW_QUEUE_TIMEOUT with Retry-After, and is never sent", async () => {
    const answers = await Promise.all(flood(lab, 'P2', 'late', 6));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused).toHaveLength(3);
    const { headers, body, id } = refused[0]!;
    expect(body.error?.code).toBe('GW_QUEUE_TIMEOUT');
    expect(body.error?.type).toBe('upstream_error');
    expect(body.error?.message).toMatch(/^waited \d+ ms in the P2 queue of oai\/a \(m1\).*queue timeout is 1 s \(pacing\.levels\.P2\.queueTimeout\)$/);
    expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(headers.get('x-gateway-queue-ms'))).toBeGreaterThanOrEqual(990);
    expect(lab.ledger.some((l) => l.requestId === id)).toBe(false);
    expect(lab.ledger.filter((l) => l.status === 429)).toEqual([]);
    expect(await metric(lab, /queue_outcomes_total\{upstream="oai\/a",model="m1",priority="P2",outcome="timeout"\} (\d+)$/m)).toBe(3);
  });
});

describe('pacing and failover', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        upstreams: upstreams(SLOW_RPM),
        routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'ant/a', model: 'claude-x' }] }],
        pacing: { levels: { P2: { maxDepth: 0 } } },
      },
      fleet(SLOW_RPM),
    );
  });
  afterAll(() => lab?.close());

  it('P1 spills to a later candidate with headroom; P2 with a full queue moves to the next candidate', async () => {
    const fill = await Promise.all(flood(lab, 'P2', 'fill', 5));
    expect(fill.filter((a) => a.headers.get('x-gateway-upstream') === 'ant/a').length).toBeGreaterThanOrEqual(1);
    const chat = await send(lab, 'P1', 'spill-1');
    expect(chat.status).toBe(200);
    expect(chat.headers.get('x-gateway-upstream')).toBe('ant/a');
    const text = await (await fetch(`${lab.url}/metrics`)).text();
    expect(text).toMatch(/queue_outcomes_total\{upstream="oai\/a",model="m1",priority="P1",outcome="spilled"\} 1$/m);
    expect(text).toMatch(/queue_outcomes_total\{upstream="oai\/a",model="m1",priority="P2",outcome="full"\} \d+$/m);
    expect(lab.ledger.filter((l) => l.status === 429)).toEqual([]);
  });
});

describe('a limit group shared across regions', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab(
      {
        upstreams: upstreams(SLOW_RPM, { limitGroup: 'oai' }),
        routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }, { upstream: 'oai/b' }] }],
        pacing: { levels: { P2: { maxDepth: 0 } } },
      },
      fleet(SLOW_RPM),
    );
  });
  afterAll(() => lab?.close());

  it('one pacer for both regions (no headroom in the other), and a full queue on every candidate is 503 GW_QUEUE_FULL', async () => {
    const answers = await Promise.all(flood(lab, 'P2', 'group', 6));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeLessThanOrEqual(4); // the group's band, shared by both regions
    const full = answers.filter((a) => a.status === 503);
    expect(full.length).toBeGreaterThanOrEqual(2);
    expect(full[0]?.body.error?.code).toBe('GW_QUEUE_FULL');
    expect(full[0]?.body.error?.message).toMatch(/the P2 queue of oai \(m1\) is full \(0 waiting, pacing\.levels\.P2\.maxDepth\)/);
    expect(Number(full[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // counted once per request and pacer, not once per region of the group
    const counted = await metric(lab, /queue_outcomes_total\{upstream="oai",model="m1",priority="P2",outcome="full"\} (\d+)$/m);
    expect(counted).toBe(full.length);
    expect(lab.ledger.filter((l) => l.status === 429)).toEqual([]);
  });
});
