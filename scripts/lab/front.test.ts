/**
 * The round-robin front, over real HTTP on loopback: small HTTP servers on port 0 stand in as the
 * instances (they answer with their own name, stream SSE, or die with a request in flight).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFront, type LostRequest, type RunningFront } from './front.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Instance {
  url: string;
  server: Server;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

async function instance(name: string, handler?: Handler): Promise<Instance> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (handler) return handler(req, res, body);
      res.writeHead(200, { 'content-type': 'application/json', 'x-instance': name });
      res.end(JSON.stringify({ instance: name, path: req.url, body }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      for (const s of sockets) s.destroy();
    });
  return { url, server, sockets, close };
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close().catch(() => undefined)));
});

async function front(instances: Instance[], lost?: LostRequest[]): Promise<RunningFront> {
  const f = await startFront({ instances: instances.map((i) => i.url), onLost: (l) => lost?.push(l) });
  open.push(f);
  return f;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('round-robin front', () => {
  it('sends requests to each instance in turn, with the body, path and answer unchanged', async () => {
    const a = await instance('a');
    const b = await instance('b');
    open.push(a, b);
    const f = await front([a, b]);
    const seen: string[] = [];
    for (let k = 0; k < 4; k++) {
      const res = await post(`${f.url}/v1/chat/completions?x=${k}`, { k });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-instance')).toBe(k % 2 === 0 ? 'a' : 'b');
      const j = (await res.json()) as { instance: string; path: string; body: string };
      expect(j.path).toBe(`/v1/chat/completions?x=${k}`);
      expect(JSON.parse(j.body)).toEqual({ k });
      seen.push(j.instance);
    }
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
    expect(f.stats().forwarded).toEqual([2, 2]);
  });

  it('streams SSE through event by event, bytes unchanged', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const events = ['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: [DONE]\n\n'];
    const a = await instance('a', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(events[0]);
      void held.then(() => {
        res.write(events[1]);
        res.end(events[2]);
      });
    });
    open.push(a);
    const f = await front([a]);
    const res = await post(`${f.url}/v1/chat/completions`, { stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    // the first event arrives while the instance still holds the rest
    const first = await reader.read();
    expect(dec.decode(first.value)).toBe(events[0]);
    release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += dec.decode(r.value, { stream: true });
    expect(events[0] + rest).toBe(events.join(''));
  });

  it('skips an instance that refuses the connection, and answers 503 when none accepts', async () => {
    const a = await instance('a');
    const b = await instance('b');
    open.push(a);
    const f = await front([a, b]);
    await b.close();
    for (let k = 0; k < 4; k++) {
      const res = await post(`${f.url}/x`, {});
      expect(res.status).toBe(200);
      expect(res.headers.get('x-instance')).toBe('a');
    }
    const s = f.stats();
    expect(s.forwarded).toEqual([4, 0]);
    expect(s.refused[1]).toBe(2);
    await a.close();
    const res = await post(`${f.url}/x`, {});
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SL_NO_INSTANCE');
  });

  it('answers 502 for a request on an instance that dies before answering; new ones go elsewhere', async () => {
    const lost: LostRequest[] = [];
    const a: Instance = await instance('a', () => {
      // the instance dies with the request in flight
      setTimeout(() => void a.close(), 100);
    });
    const b = await instance('b');
    open.push(b);
    const f = await front([a, b], lost);
    const res = await post(`${f.url}/plain`, {});
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SL_INSTANCE_LOST');
    expect(lost).toMatchObject([{ instance: 1, phase: 'before-response', path: '/plain' }]);
    for (let k = 0; k < 3; k++) expect((await post(`${f.url}/next`, {})).headers.get('x-instance')).toBe('b');
    expect(f.stats().lost).toEqual([1, 0]);
  });

  it('cuts a stream whose instance dies after the response began', async () => {
    const lost: LostRequest[] = [];
    const a = await instance('a', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      setTimeout(() => res.socket?.destroy(), 100);
    });
    open.push(a);
    const f = await front([a], lost);
    const res = await post(`${f.url}/stream`, {});
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(lost).toMatchObject([{ instance: 1, phase: 'mid-response' }]);
    expect(f.stats().lost).toEqual([1]);
    expect(f.inFlight(1)).toBe(0);
  });
});
