/**
 * What the latency-relay tests share: a loopback server, a relay in front of it, a client socket,
 * a one-byte echo timed. Importing this registers an afterEach that closes all they opened.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach } from 'vitest';
import { startRelay, type Relay } from './latency-relay.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

export async function listen(onConn: (s: Socket) => void): Promise<{ server: Server; port: number }> {
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

export async function relayTo(port: number, delayMs: number, handshake = false): Promise<Relay> {
  const relay = await startRelay([{ id: 'a>b', to: { host: '127.0.0.1', port }, delayMs, handshake }]);
  cleanup.push(() => relay.close());
  return relay;
}

export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true, noDelay: true }, () => resolve(s));
    s.once('error', reject);
    cleanup.push(() => void s.destroy());
  });
}

/** Send one byte, time the echo. */
export function ping(s: Socket): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    s.once('data', () => resolve(performance.now() - t0));
    s.write('x');
  });
}
