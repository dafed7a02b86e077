/**
 * 10,000 malformed requests — bad JSON, wrong types, huge bodies, wrong content types, odd
 * paths and methods — get only 4xx answers in the one error shape; the gateway stays up.
 */
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.js';
import { KEY, startGatewayLab, type GatewayLab } from '../helpers/gateway-lab.js';

const N = 10_000;

function makeCase(rand: () => number, i: number): { method: string; path: string; headers: Record<string, string>; body?: string | Buffer } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const auth: Record<string, string> = rand() < 0.85 ? { authorization: `Bearer ${KEY}` } : rand() < 0.5 ? {} : { authorization: pick(['Bearer', 'Basic x', `Bearer ${'k'.repeat(300)}`, 'Bearer  ']) };
  const json = { 'content-type': 'application/json', ...auth };
  const goodMsg = [{ role: 'user', content: 'hi' }];
  const bodies: Array<() => unknown> = [
    () => ({}),
    () => ({ model: 'm1' }),
    () => ({ model: 7, messages: goodMsg }),
    () => ({ model: 'm1', messages: 'hello' }),
    () => ({ model: 'm1', messages: [] }),
    () => ({ model: 'm1', messages: [{ role: 'wizard', content: 'x' }] }),
    () => ({ model: 'm1', messages: [{ content: 'x' }] }),
    () => ({ model: 'm1', messages: [{ role: 'user', content: 42 }] }),
    () => ({ model: 'm1', messages: goodMsg, stream: 'yes' }),
    () => ({ model: 'm1', messages: goodMsg, max_tokens: -1 }),
    () => ({ model: 'm1', messages: goodMsg, max_tokens: 1e12 }),
    () => ({ model: 'm1', messages: goodMsg, max_tokens: 1.5 }),
    () => ({ model: 'm1', messages: goodMsg, temperature: 'hot' }),
    () => ({ model: 'm1', messages: goodMsg, temperature: 9 }),
    () => ({ model: 'm1', messages: goodMsg, metadata: { priority: 'P9' } }),
    () => ({ model: 'm1', messages: goodMsg, metadata: 'x' }),
    () => ({ model: 'm1', messages: goodMsg, stream_options: 3 }),
    () => ({ model: 'no-such-model', messages: goodMsg }),
    () => ({ model: 'x'.repeat(1000), messages: goodMsg }),
    () => ({ model: 'm1', messages: Array.from({ length: 3000 }, () => ({ role: 'user', content: 'a' })) }),
    () => [1, 2, 3],
    () => null,
    () => 'just a string',
    () => ({ model: 'm1', messages: [null] }),
    () => ({ __proto__: { polluted: true }, model: 'm1', messages: [{ role: 'user', content: null, constructor: { prototype: { x: 1 } } }] }),
  ];
  const kind = i % 10;
  if (kind < 6) return { method: 'POST', path: '/v1/chat/completions', headers: json, body: JSON.stringify(pick(bodies)()) };
  if (kind === 6) {
    const broken = ['{', '{"model":', '{"model":"m1","messages":[}', '\u0000\u0001', '{"a":1}{"b":2}', 'null x', '{"model":"m1","messages":[{"role":"user","content":"\\ud800"}]'];
    return { method: 'POST', path: '/v1/chat/completions', headers: json, body: pick(broken) };
  }
  if (kind === 7) {
    const type = pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1']);
    return { method: 'POST', path: pick(['/v1/chat/completions', '/v1/embeddings']), headers: { ...auth, 'content-type': type }, body: 'model=m1' };
  }
  if (kind === 8) return { method: 'POST', path: '/v1/chat/completions', headers: json, body: Buffer.alloc(80_000 + Math.floor(rand() * 40_000), 0x61) };
  const path = pick(['/', '/v1', '/v1/chat', '/v1/chat/completions/x', '/../../etc/passwd', '/v1/models/%ff', '/%00', '/v1/embeddings?x=' + 'y'.repeat(500), '/admin']);
  return { method: pick(['GET', 'PUT', 'DELETE', 'PATCH', 'POST']), path, headers: json, body: rand() < 0.5 ? '{}' : undefined };
}

describe('fuzzing the front door', () => {
  let lab: GatewayLab;
  beforeAll(async () => {
    lab = await startGatewayLab({
      routes: [
        { model: 'm1', targets: [{ upstream: 'oai/a' }] },
        { model: 'emb-x', targets: [{ upstream: 'oai/a', model: 'm1' }] },
      ],
      requests: { maxBodyBytes: 64 * 1024, maxMessages: 2048, maxOutputTokens: 100_000 },
    });
  });
  afterAll(() => lab.close());

  it(`answers ${N.toLocaleString('en-US')} malformed requests with 4xx in the error shape only`, async () => {
    const pool = new Pool(lab.url, { connections: 8 });
    const rand = mulberry32(20261126);
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < N) {
        const i = next++;
        const c = makeCase(rand, i);
        const res = await pool.request({ method: c.method as 'POST', path: c.path, headers: c.headers, body: c.body });
        const text = await res.body.text();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        let shaped = false;
        try {
          const j = JSON.parse(text) as { error?: { message?: unknown; type?: unknown; code?: unknown } };
          shaped = typeof j.error?.message === 'string' && typeof j.error.type === 'string' && 'code' in j.error;
        } catch {
          shaped = false;
        }
        // a few cases are valid after all (e.g. GET /v1/models): those may be 200
        const ok = (res.statusCode >= 400 && res.statusCode < 500 && shaped) || (res.statusCode === 200 && (c.method === 'GET' || text.includes('"chat.completion"')));
        if (!ok && bad.length < 5) bad.push(`${c.method} ${c.path} → ${res.statusCode} ${text.slice(0, 160)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await pool.close();
    expect(bad).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    const health = await fetch(`${lab.url}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);
});
