/** The control API: toxiproxy-style routes, 400s naming the field, loopback only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type RunningFleet } from '../fleet.js';
import { postChat, testFleet } from '../test-helpers.js';
import { isLoopbackAddress } from './loopback.js';

interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null; details: Array<{ path?: string; expected?: string; received?: string }> };
}

const messages = [{ role: 'user', content: 'hi' }];

describe('control API', () => {
  let fleet: RunningFleet;
  let control = '';
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${control}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

  beforeAll(async () => {
    fleet = await startFleet(testFleet());
    control = fleet.control!;
  });
  afterAll(() => fleet?.close());

  it('listens on loopback, on its own port', () => {
    expect(control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fleet.endpoints.map((e) => e.url)).not.toContain(control);
  });

  it('adds, lists, shows, removes and resets faults', async () => {
    const created = await call('POST', '/faults', { id: 'storm', fault: 'rate-limit', scope: { region: 'a' }, probability: 1, params: { retryAfterS: 1 }, for: '1m' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'storm', fault: 'rate-limit', state: 'active', source: 'api', params: { retryAfterS: 1 } });
    expect((await postChat(fleet.endpoints[0]!.url, { model: 'm1', messages })).status).toBe(429);

    const listed = (await (await call('GET', '/faults')).json()) as { faults: Array<{ id: string; endsAt: string | null }> };
    expect(listed.faults.map((f) => f.id)).toEqual(['storm']);
    expect(Date.parse(listed.faults[0]!.endsAt!)).toBeGreaterThan(Date.now() + 50_000);
    expect((await call('GET', '/faults/storm')).status).toBe(200);

    expect((await call('DELETE', '/faults/storm')).status).toBe(204);
    expect((await postChat(fleet.endpoints[0]!.url, { model: 'm1', messages, max_tokens: 1 })).status).toBe(200);

    await call('POST', '/faults', { fault: 'latency' });
    await call('POST', '/faults', { fault: 'outage-refuse', scope: { region: 'b' } });
    expect(fleet.isUp('acme/b')).toBe(false);
    expect((await call('POST', '/reset')).status).toBe(204);
    expect(((await (await call('GET', '/faults')).json()) as { faults: unknown[] }).faults).toEqual([]);
    expect(fleet.isUp('acme/b')).toBe(true);
  });

  it('schedules a timeline relative to startAtMs and reports the endpoints with their state', async () => {
    const res = await call('POST', '/timeline', { startAtMs: Date.now(), events: [{ at: '10m', for: '1m', fault: 'http-error' }, { at: 0, fault: 'outage-refuse', scope: { region: 'a' } }] });
    expect(res.status).toBe(201);
    const { faults } = (await res.json()) as { faults: Array<{ state: string; fault: string }> };
    expect(faults.map((f) => `${f.fault}:${f.state}`)).toEqual(['http-error:scheduled', 'outage-refuse:active']);
    const eps = (await (await call('GET', '/endpoints')).json()) as { control: string; endpoints: Array<{ id: string; up: boolean; url: string }> };
    expect(eps.control).toBe(control);
    expect(eps.endpoints.map((e) => `${e.id}:${e.up}`)).toEqual(['acme/a:false', 'acme/b:true']);
    const events = (await (await call('GET', '/events')).json()) as { events: Array<{ event: string; fault: string }> };
    expect(events.events.at(-1)).toMatchObject({ event: 'start', fault: 'outage-refuse' });
    await call('POST', '/reset');
  });

  it('bad input is a 400 with a JSON error naming the field and the expectation', async () => {
    const cases: Array<[string, string, unknown, string, string]> = [
      ['POST', '/faults', { fault: 'explode' }, 'fault', '"outage-refuse"'],
      ['POST', '/faults', { fault: 'http-error', params: { statuses: ['500'] } }, 'params.statuses[0]', 'number'],
      ['POST', '/faults', { fault: 'latency', probability: 2 }, 'probability', '<= 1'],
      ['POST', '/faults', { fault: 'latency', scope: { provider: 'nope' } }, 'scope.provider', 'one of acme'],
      ['POST', '/faults', { fault: 'latency', colour: 'red' }, 'colour', 'no such field (unknown key)'],
      ['POST', '/timeline', { events: [{ fault: 'latency' }] }, 'events[0].at', 'one of: number | string'],
      ['POST', '/timeline', { events: [{ at: 0, fault: 'latency', scope: { region: 'zz' } }] }, 'events[0].scope.region', 'one of a, b'],
    ];
    for (const [method, path, body, param, expected] of cases) {
      const res = await call(method, path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      const e = ((await res.json()) as ErrorBody).error;
      expect(e.type).toBe('invalid_request_error');
      expect(e.param, JSON.stringify(body)).toBe(param);
      expect(e.details[0]!.expected).toContain(expected);
    }
    const broken = await fetch(`${control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fault":' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.code).toBe('MOCK_BAD_REQUEST');
  });

  it('unknown ids are 404s, a taken id a 409, an unknown route a 404, all in the same shape', async () => {
    const missing = await call('DELETE', '/faults/ghost');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error).toMatchObject({ code: 'MOCK_FAULT_NOT_FOUND', param: 'id' });
    await call('POST', '/faults', { id: 'dup', fault: 'latency' });
    const dup = await call('POST', '/faults', { id: 'dup', fault: 'latency' });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as ErrorBody).error.code).toBe('MOCK_FAULT_CONFLICT');
    const nf = await call('GET', '/toxics');
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as ErrorBody).error.code).toBe('MOCK_ROUTE_NOT_FOUND');
    await call('POST', '/reset');
  });
});

describe('control API access', () => {
  it('only loopback addresses are allowed', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.20', '::ffff:10.1.2.3', 'fe80::1', '2001:db8::1', '0.0.0.0', '', undefined]) expect(isLoopbackAddress(a), String(a)).toBe(false);
  });

  it('a client the check refuses gets a 403 JSON error, and nothing changes', async () => {
    const seen: Array<string | undefined> = [];
    const fleet = await startFleet(testFleet(), { control: { isAllowed: (addr) => (seen.push(addr), false) } });
    try {
      const res = await fetch(`${fleet.control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fault: 'latency' }) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'MOCK_CONTROL_FORBIDDEN', type: 'permission_error' });
      expect(seen).toEqual(['127.0.0.1']);
      expect(fleet.faults()).toEqual([]);
    } finally {
      await fleet.close();
    }
  });
});
