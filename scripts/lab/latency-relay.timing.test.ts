/** The relay's delays, measured on real sockets: run alone (timing project) so no other test competes for the cores. */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from './latency-relay.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function listen(onConn: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const conns = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (s) => {
    conns.add(s);
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => {
    for (const c of conns) c.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  const port = (server.address() as { port: number }).port;
  return { server, port };
}

async function relayTo(port: number, delayMs: number, handshake = false): Promise<Relay> {
  const relay = await startRelay([{ id: 'a>b', to: { host: '127.0.0.1', port }, delayMs, handshake }]);
  cleanup.push(() => relay.close());
  return relay;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true, noDelay: true }, () => resolve(s));
    s.once('error', reject);
    cleanup.push(() => void s.destroy());
  });
}

/** Send one byte, time the echo. */
function ping(s: Socket): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    s.once('data', () => resolve(performance.now() - t0));
    s.write('x');
  });
}

function median(xs: number[]): number {
  return [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
}

describe('latency relay timing', () => {
  // every sample must be at least the injected delay; the upper checks take the median or the
  // minimum, since a busy machine adds its own scheduling delay to single samples
  it('delays both directions: a round trip takes twice the one-way delay, a new connection one more', async () => {
    const echo = await listen((s) => s.on('data', (d) => s.write(d)));
    const plain = await relayTo(echo.port, 40);
    const s = await open(plain.listeners[0]!.port);
    const rtts: number[] = [];
    for (let i = 0; i < 7; i++) rtts.push(await ping(s));
    for (const rtt of rtts) expect(rtt).toBeGreaterThanOrEqual(79);
    expect(median(rtts)).toBeLessThan(80 + 20);

    const shaking = await relayTo(echo.port, 40, true);
    const firsts: number[] = [];
    const plainFirsts: number[] = [];
    for (let i = 0; i < 3; i++) {
      firsts.push(await ping(await open(shaking.listeners[0]!.port)));
      plainFirsts.push(await ping(await open(plain.listeners[0]!.port)));
    }
    for (const first of firsts) expect(first).toBeGreaterThanOrEqual(159);
    expect(Math.min(...firsts)).toBeLessThan(160 + 20);
    expect(Math.min(...plainFirsts)).toBeLessThan(80 + 20);
  });
});
