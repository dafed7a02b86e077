/**
 * The JSON body parser over real HTTP: ordinary bodies parse, and what fastify's own parser
 * refused (prototype poisoning however it is spelled, bad JSON, an empty body, an oversized one)
 * is still refused with a 4xx in the one error shape.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.js';
import { registerJsonBody } from './json-body.js';

let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  app = Fastify({ logger: false, bodyLimit: 1024 });
  registerJsonBody(app);
  registerErrorHandling(app);
  app.post('/echo', async (request) => ({ body: request.body }));
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

async function post(body: string, type = 'application/json'): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describe('the JSON body parser', () => {
  it('parses ordinary bodies, escapes and a byte-order mark included', async () => {
    const r = await post('{"model":"m1","messages":[{"role":"user","content":"caf\\u00e9 \\ud83d\\ude00"}]}');
    expect(r.status).toBe(200);
    expect(r.json.body.messages[0].content).toBe('café 😀');
    expect((await post('\uFEFF{"a":1}')).json.body).toEqual({ a: 1 });
    // a `constructor` that is not an object with a prototype was always allowed
    expect((await post('{"constructor":"x","n":[1,2]}')).json.body).toEqual({ constructor: 'x', n: [1, 2] });
    expect((await post('{"model":"m1"}', 'application/json; charset=utf-8')).json.body).toEqual({ model: 'm1' });
  });

  it.each([
    ['__proto__', '{"a":{"__proto__":{"polluted":true}}}'],
    ['__proto__ with escapes', '{"\\u005f_pr\\u006fto__":{"polluted":true}}'],
    ['constructor.prototype', '{"m":[{"constructor":{"prototype":{"polluted":true}}}]}'],
    ['constructor with escapes', '{"\\u0063onstructor":{"prototype":{"polluted":true}}}'],
  ])('refuses a poisoned body (%s) with a 400 in the error shape', async (_name, body) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', code: 'GW_BAD_REQUEST' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bad JSON, an empty body and an oversized one are 4xx in the error shape', async () => {
    const bad = await post('{"model":');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe("Body is not valid JSON but content-type is set to 'application/json'");
    const empty = await post('');
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toMatch(/cannot be empty/);
    const big = await post(JSON.stringify({ text: 'x'.repeat(2000) }));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('GW_BAD_REQUEST');
  });
});
