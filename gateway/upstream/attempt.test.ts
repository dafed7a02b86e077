/**
 * An attempt's upstream request over its life, against real upstreams on loopback:
 * - a streamed answer that ended normally gives its connection back to the pool (the rest of its
 *   body — `[DONE]`, the end — is read, not cut), so a provider sees one connection, not one per
 *   stream (on TLS: one handshake per stream); an upstream that keeps the body open after the
 *   answer is cut loose after a short bound;
 * - a silent upstream is cut at the route's ttftMs and the request fails over;
 * - a client that leaves mid-stream takes the upstream request with it.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayConfigSchema } from '../config/schema.js';
import { startGateway, type RunningGateway } from '../server.js';
import { sseEvents, startFakeUpstream, type FakeUpstream } from '../testing/fake-upstreams.js';

const KEY = 'sk-keep-alive-test-key';

interface Upstream {
  url: string;
  /** TCP connections accepted */
  connections: number;
  /** connections closed (by either side) */
  closed: number;
  /** stream bodies ended */
  ended: number;
  /** hold the body open after the last event instead of ending it */
  holdOpen: boolean;
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (!body.includes('"stream":true')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const choices = [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }];
        const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices, usage }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = sseEvents('u', 'm', true);
      // the answer is complete at the usage chunk; [DONE] and the end follow a moment later, as on a real network
      for (const e of events.slice(0, -1)) res.write(e);
      setTimeout(() => {
        res.write(events.at(-1));
        if (u.holdOpen) open.add(res);
        else res.end(() => (u.ended += 1));
      }, 5);
    });
  });
  const u: Upstream = {
    url: '',
    connections: 0,
    closed: 0,
    ended: 0,
    holdOpen: false,
    close: () =>
      new Promise((resolve) => {
        for (const r of open) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (s) => {
    u.connections += 1;
    s.on('close', () => (u.closed += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  u.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return u;
}

function post(gw: RunningGateway, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
    signal,
  });
}

async function chat(gw: RunningGateway, stream: boolean): Promise<string> {
  const res = await post(gw, { model: 'm', stream });
  expect(res.status).toBe(200);
  return res.text();
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  for (const end = performance.now() + ms; !cond() && performance.now() < end; ) await new Promise((r) => setTimeout(r, 20));
}

describe('upstream keep-alive', () => {
  let upstream: Upstream;
  let silent: FakeUpstream;
  let held: FakeUpstream;
  let release: () => void = () => undefined;
  let gw: RunningGateway;
  beforeAll(async () => {
    upstream = await startUpstream();
    silent = await startFakeUpstream('silent', { kind: 'hang' });
    held = await startFakeUpstream('held', { kind: 'ok', hold: new Promise<void>((r) => (release = r)) });
    const config = GatewayConfigSchema.parse({
      listen: { port: 0 },
      upstreams: [
        { id: 'u', provider: 'p', region: 'local', url: upstream.url },
        { id: 'silent', provider: 'p', region: 'local', url: silent.url },
        { id: 'held', provider: 'p', region: 'local', url: held.url },
      ],
      routes: [
        { model: 'm', targets: [{ upstream: 'u' }] },
        { model: 'slow-first', targets: [{ upstream: 'silent', model: 'm' }, { upstream: 'u', model: 'm' }], timeouts: { ttftMs: 200 } },
        { model: 'held', targets: [{ upstream: 'held', model: 'm' }] },
      ],
      keys: [{ id: 'k', key: KEY, tenant: 't' }],
      prices: { m: { input: 1, output: 2 } },
    });
    gw = await startGateway(config);
  });
  afterAll(async () => {
    release();
    await gw.close();
    await Promise.all([upstream.close(), silent.close(), held.close()]);
  });

  it('one upstream connection serves consecutive streams that ended normally', async () => {
    upstream.connections = 0;
    for (let i = 0; i < 5; i++) {
      const ended = upstream.ended;
      expect(await chat(gw, true)).toMatch(/data: \[DONE\]\n\n$/);
      // the client has its [DONE] before the upstream's body is over; the next request waits for that
      await until(() => upstream.ended > ended, 2000);
      await new Promise((r) => setTimeout(r, 50)); // and for the gateway to have read that end
    }
    await chat(gw, false);
    expect(upstream.connections).toBe(1);
  });

  it('an upstream holding the body open after a complete answer is cut loose, the client answered at once', async () => {
    upstream.holdOpen = true;
    const closedBefore = upstream.closed;
    const started = performance.now();
    expect(await chat(gw, true)).toMatch(/data: \[DONE\]\n\n$/);
    expect(performance.now() - started).toBeLessThan(1000);
    await until(() => upstream.closed > closedBefore, 5000);
    expect(upstream.closed).toBe(closedBefore + 1);
    upstream.holdOpen = false;
  });

  it('cuts a silent upstream at ttftMs and fails over to the next target', async () => {
    const started = performance.now();
    const res = await post(gw, { model: 'slow-first', stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-upstream')).toBe('u');
    expect(res.headers.get('x-gateway-attempts')).toBe('2');
    expect(await res.text()).toMatch(/data: \[DONE\]\n\n$/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await until(() => silent.aborts > 0, 2000);
    expect(silent.aborts).toBe(1);
  });

  it('a client leaving mid-stream cuts the upstream request', async () => {
    const client = new AbortController();
    const res = await post(gw, { model: 'held', stream: true }, client.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"content"');
    client.abort();
    await until(() => held.aborts > 0, 2000);
    expect(held.aborts).toBe(1);
  });
});
