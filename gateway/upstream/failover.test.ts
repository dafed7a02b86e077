/** Failover and retry over real loopback listeners: refused ports, 5xx, 429, hangs. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../server.js';
import { TEST_MODEL, testConfig } from '../testing/config.js';
import { closedPortUrl, startFakeUpstream, type FakeUpstream } from '../testing/fake-upstreams.js';

const IDS = ['openai/us-east', 'openai/eu-west', 'azure/eastus'] as const;

type Json = { system_fingerprint?: string; error: { code: string; message: string; type: string; param: string | null } };
const json = async (res: Response) => (await res.json()) as Json;

describe('failover', () => {
  const ups: FakeUpstream[] = [];
  const gateways: RunningGateway[] = [];
  let refused: string;

  beforeAll(async () => {
    for (const id of IDS) ups.push(await startFakeUpstream(id));
    refused = await closedPortUrl();
  });
  afterEach(() => {
    for (const u of ups) {
      u.behave({ kind: 'ok' });
      u.received.length = 0;
    }
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await Promise.all(ups.map((u) => u.close()));
  });

  async function gateway(urls: Record<string, string>, extra: Parameters<typeof testConfig>[1] = {}): Promise<RunningGateway> {
    const gw = await startGateway(testConfig(IDS, extra), { port: 0, upstreamUrls: urls });
    gateways.push(gw);
    return gw;
  }
  const fleetUrls = () => Object.fromEntries(ups.map((u) => [u.id, u.url]));
  const chat = (gw: RunningGateway, stream = false) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }], stream }),
    });
  const metric = async (gw: RunningGateway, line: RegExp) => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    return line.exec(text)?.[1];
  };

  it('moves on when the first upstream refuses connections', async () => {
    const gw = await gateway({ ...fleetUrls(), 'openai/us-east': refused });
    const res = await chat(gw);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-stormlab-upstream')).toBe('openai/eu-west');
    expect(res.headers.get('x-stormlab-attempts')).toBe('2');
    expect((await json(res)).system_fingerprint).toBe('stormlab:openai/eu-west');
    expect(ups[1]?.received[0]?.headers['x-stormlab-attempt']).toBe('2');
    expect(await metric(gw, /^stormlab_gateway_upstream_attempts_total\{upstream="openai\/us-east",outcome="connect"\} (\d+)$/m)).toBe('1');
    expect(await metric(gw, /^stormlab_gateway_failovers_total\{from="openai\/us-east",reason="connect"\} (\d+)$/m)).toBe('1');
  });

  it('moves on after a 503, and after a 429, keeping the request id across attempts', async () => {
    const gw = await gateway(fleetUrls());
    ups[0]?.behave({ kind: 'status', status: 503 });
    const a = await chat(gw);
    expect(a.status).toBe(200);
    expect(a.headers.get('x-stormlab-upstream')).toBe('openai/eu-west');
    expect(a.headers.get('x-stormlab-attempts')).toBe('2');
    const [first, second] = [ups[0]?.received[0]?.headers, ups[1]?.received[0]?.headers];
    expect(first?.['x-stormlab-attempt']).toBe('1');
    expect(second?.['x-stormlab-attempt']).toBe('2');
    expect(second?.['x-request-id']).toBe(first?.['x-request-id']);

    ups[0]?.behave({ kind: 'status', status: 429, retryAfter: '1' });
    const b = await chat(gw, true);
    expect(b.status).toBe(200);
    expect(b.headers.get('x-stormlab-upstream')).toBe('openai/eu-west');
    expect(b.headers.get('x-stormlab-attempts')).toBe('2');
    expect(await b.text()).toContain('data: [DONE]');
  });

  it('moves on when an upstream hangs past firstByteMs, and aborts the hung request', async () => {
    const gw = await gateway(fleetUrls(), { timeouts: { firstByteMs: 300 } });
    ups[0]?.behave({ kind: 'hang' });
    const res = await chat(gw);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-stormlab-upstream')).toBe('openai/eu-west');
    expect(await metric(gw, /^stormlab_gateway_upstream_attempts_total\{upstream="openai\/us-east",outcome="timeout"\} (\d+)$/m)).toBe('1');
    await expect.poll(() => ups[0]?.aborts, { timeout: 2000 }).toBeGreaterThan(0);
  });

  it('moves on when a non-stream body breaks off after the headers', async () => {
    const gw = await gateway(fleetUrls());
    ups[0]?.behave({ kind: 'cut', afterChunks: 2 });
    const res = await chat(gw);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-stormlab-upstream')).toBe('openai/eu-west');
    expect(await metric(gw, /^stormlab_gateway_upstream_attempts_total\{upstream="openai\/us-east",outcome="(\w+)"\} 1$/m)).toBe('reset');
  });

  it('aborts the upstream request when a waiting client goes away, and counts a 499', async () => {
    const gw = await gateway(fleetUrls());
    ups[0]?.behave({ kind: 'hang' });
    const before = ups[0]?.aborts ?? 0;
    const ac = new AbortController();
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: TEST_MODEL, messages: [{ role: 'user', content: 'hi' }] }),
      signal: ac.signal,
    }).catch((e: unknown) => e);
    await expect.poll(() => ups[0]?.received.length, { timeout: 2000 }).toBe(1);
    ac.abort();
    await pending;
    await expect.poll(() => ups[0]?.aborts, { timeout: 2000 }).toBe(before + 1);
    expect(ups[1]?.received).toHaveLength(0);
    expect(await metric(gw, /^stormlab_gateway_requests_total\{model="gpt-4.1-mini",status="499",stream="false"\} (\d+)$/m)).toBe('1');
  });

  it('answers 504 GW_UPSTREAM_TIMEOUT when timeouts.totalMs runs out', async () => {
    const gw = await gateway(fleetUrls(), { timeouts: { totalMs: 300 } });
    for (const u of ups) u.behave({ kind: 'hang' });
    const res = await chat(gw);
    expect(res.status).toBe(504);
    expect(res.headers.get('x-stormlab-attempts')).toBe('1');
    const { error } = await json(res);
    expect(error.code).toBe('GW_UPSTREAM_TIMEOUT');
    expect(error.message).toContain('timeouts.totalMs (300ms)');
  });

  it('answers 502 GW_UPSTREAM_EXHAUSTED when every upstream fails', async () => {
    const gw = await gateway({ ...fleetUrls(), 'openai/us-east': refused });
    ups[1]?.behave({ kind: 'status', status: 500 });
    ups[2]?.behave({ kind: 'status', status: 503 });
    const res = await chat(gw);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-stormlab-attempts')).toBe('4');
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'GW_UPSTREAM_EXHAUSTED', type: 'upstream_error', param: null });
    expect(error.message).toContain('openai/eu-west: HTTP 500');
    // four attempts over three targets: the second round starts again at the top
    expect(ups[1]?.received).toHaveLength(1);
    expect(ups[2]?.received).toHaveLength(1);
    expect(await metric(gw, /^stormlab_gateway_requests_total\{model="gpt-4.1-mini",status="502",stream="false"\} (\d+)$/m)).toBe('1');
  });

  it('respects retry.maxAttempts', async () => {
    const gw = await gateway(fleetUrls(), { retry: { maxAttempts: 2 } });
    for (const u of ups) u.behave({ kind: 'status', status: 503 });
    const res = await chat(gw);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-stormlab-attempts')).toBe('2');
    expect(ups.map((u) => u.received.length)).toEqual([1, 1, 0]);
  });

  it('does not retry what retry.on leaves out', async () => {
    const gw = await gateway(fleetUrls(), { retry: { on: ['connect'] } });
    ups[0]?.behave({ kind: 'status', status: 503 });
    const res = await chat(gw);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-stormlab-attempts')).toBe('1');
    expect(ups[1]?.received).toHaveLength(0);
  });

  it('answers 429 GW_UPSTREAM_RATE_LIMITED with the shortest retry-after when every attempt was rate-limited', async () => {
    const gw = await gateway(fleetUrls(), { retry: { maxAttempts: 3 } });
    ups[0]?.behave({ kind: 'status', status: 429, retryAfter: '7' });
    ups[1]?.behave({ kind: 'status', status: 429, retryAfter: '3' });
    ups[2]?.behave({ kind: 'status', status: 429 });
    const res = await chat(gw);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('x-stormlab-attempts')).toBe('3');
    expect((await json(res)).error).toMatchObject({ code: 'GW_UPSTREAM_RATE_LIMITED', type: 'rate_limit_error' });
  });

  it('passes an upstream 4xx through without retrying', async () => {
    const gw = await gateway(fleetUrls());
    ups[0]?.behave({ kind: 'status', status: 400 });
    const res = await chat(gw);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-stormlab-upstream')).toBe('openai/us-east');
    expect((await json(res)).error.message).toBe('fake 400');
    expect(ups[1]?.received).toHaveLength(0);
  });
});
