import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { listen, open, relayTo } from './latency-relay.fixture.js';

describe('latency relay', () => {
  it('passes large streams unchanged, in both directions', async () => {
    const down = randomBytes(3 << 20);
    const sink = await listen((s) => {
      const h = createHash('sha256');
      s.on('data', (d) => h.update(d));
      s.on('end', () => {
        s.write(h.digest('hex'));
        s.end(down);
      });
    });
    const relay = await relayTo(sink.port, 5);
    const s = await open(relay.listeners[0]!.port);
    const up = randomBytes(3 << 20);
    const received: Buffer[] = [];
    const ended = new Promise<void>((r) => s.on('end', () => r()));
    s.on('data', (d: Buffer) => received.push(d));
    for (let i = 0; i < up.length; i += 64 * 1024) s.write(up.subarray(i, i + 64 * 1024));
    s.end();
    await ended;
    const all = Buffer.concat(received);
    expect(all.subarray(0, 64).toString()).toBe(createHash('sha256').update(up).digest('hex'));
    expect(all.subarray(64).equals(down)).toBe(true);
  });

  it('passes a half-close and a close on, and leaves no connection open', async () => {
    const seen: string[] = [];
    const server = await listen((s) => {
      s.on('end', () => {
        seen.push('server saw end');
        setTimeout(() => s.end('late answer'), 20); // still answers after the client half-closed
      });
      s.resume();
    });
    const relay = await relayTo(server.port, 10);
    const s = await open(relay.listeners[0]!.port);
    let text = '';
    s.on('data', (d) => (text += d));
    const closed = new Promise<boolean>((r) => s.on('close', (hadError) => r(hadError)));
    s.end('bye');
    expect(await closed).toBe(false);
    expect(text).toBe('late answer');
    expect(seen).toEqual(['server saw end']);
    await new Promise((r) => setTimeout(r, 30));
    expect(relay.open()).toBe(0);
  });

  it('resets the client when the far side resets or refuses, one delay later', async () => {
    const resetter = await listen((s) => s.once('data', () => s.resetAndDestroy()));
    const relay = await relayTo(resetter.port, 30);
    const s = await open(relay.listeners[0]!.port);
    const t0 = performance.now();
    const err = new Promise<string>((r) => s.once('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')));
    s.write('x');
    expect(await err).toBe('ECONNRESET');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(59);

    const gone = await listen(() => undefined);
    const port = gone.port;
    await new Promise<void>((r) => gone.server.close(() => r()));
    const refusing = await relayTo(port, 10);
    const r = await open(refusing.listeners[0]!.port);
    const code = await new Promise<string>((res) => r.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? '')));
    expect(code).toBe('ECONNRESET');
  });
});
