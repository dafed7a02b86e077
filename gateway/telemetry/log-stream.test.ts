/**
 * The gateway's log lines are written in batches: every request's line is in the file once the
 * gateway has closed, and a lone line does not wait for more to follow.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayConfigSchema } from '../config/schema.js';
import { startGateway } from '../server.js';
import { startFakeUpstream, type FakeUpstream } from '../testing/fake-upstreams.js';

const KEY = 'sk-test-log-lines-0001';
let upstream: FakeUpstream;
let dir: string;

beforeAll(async () => {
  upstream = await startFakeUpstream('oai/a');
  dir = mkdtempSync(join(tmpdir(), 'stormlab-log-'));
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

async function gatewayLoggingTo(file: string) {
  const config = GatewayConfigSchema.parse({
    upstreams: [{ id: 'oai/a', provider: 'openai', region: 'us', url: upstream.url }],
    routes: [{ model: 'm1', targets: [{ upstream: 'oai/a' }] }],
    keys: [{ id: 'tester', key: KEY, tenant: 't1' }],
    prices: { m1: { input: 1, output: 2 } },
  });
  return startGateway(config, { port: 0, host: '127.0.0.1', logger: { level: 'info', file } });
}

async function ask(url: string, id: string): Promise<number> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'x-request-id': id },
    body: JSON.stringify({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

const requestLines = (file: string): Array<{ requestId: string; status: number }> => {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; requestId: string; status: number })
    .filter((l) => l.msg === 'request');
};

describe('the log destination', () => {
  it('has every request line in the file once the gateway has closed', async () => {
    const file = join(dir, 'many.log');
    const gw = await gatewayLoggingTo(file);
    const ids = Array.from({ length: 40 }, (_, i) => `req-${i}`);
    for (const id of ids) expect(await ask(gw.url, id)).toBe(200);
    await gw.close();
    const lines = requestLines(file);
    expect(lines.map((l) => l.requestId).sort()).toEqual([...ids].sort());
    expect(lines.every((l) => l.status === 200)).toBe(true);
  });

  it('writes a lone line without waiting for more, while the gateway runs', async () => {
    const file = join(dir, 'lone.log');
    const gw = await gatewayLoggingTo(file);
    try {
      expect(await ask(gw.url, 'lone-1')).toBe(200);
      const until = Date.now() + 3000;
      while (requestLines(file).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(requestLines(file).map((l) => l.requestId)).toEqual(['lone-1']);
    } finally {
      await gw.close();
    }
  });
});
