/**
 * The lab's latency relay: a TCP proxy that delivers every byte a fixed one-way delay after it
 * arrived, in each direction, so traffic between two regions pays their round trip without the
 * gateway, the fleet or the driver knowing. One listener per route (a region pair and the address
 * behind it). Streams pass unchanged and in order; a half-close or a reset reaches the other side
 * after the same delay; a refused connection behind the relay resets the client's. With
 * `handshake`, a new connection's first bytes wait one more round trip, as a TCP handshake would.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RelayRoute {
  /** a name for the listener, e.g. `eu-west>openai/us-east` */
  id: string;
  /** where the bytes go */
  to: { host: string; port: number };
  /** one-way delay, ms (half the round trip) */
  delayMs: number;
  /** the first bytes of a new connection wait one round trip more (default false) */
  handshake?: boolean;
}

export interface RelayListener {
  id: string;
  url: string;
  port: number;
}

export interface Relay {
  listeners: RelayListener[];
  /** connections open now */
  open(): number;
  close(): Promise<void>;
}

/** Bytes queued in one direction before the source is paused (the far side is slow to read). */
const HIGH_WATER = 1 << 20;

/**
 * One direction of a connection: chunks are written `delayMs` after they arrived (never before
 * `notBefore`), in arrival order; the end or a reset follows the last chunk.
 */
class DelayedPipe {
  private queue: Array<{ due: number; chunk: Buffer | 'end' | 'reset' }> = [];
  private timer: NodeJS.Timeout | undefined;
  private queued = 0;
  private lastDue = 0;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly delayMs: number,
    private notBefore: number,
  ) {
    src.on('data', (chunk: Buffer) => {
      this.push(chunk);
      this.queued += chunk.length;
      if (this.queued > HIGH_WATER) src.pause();
    });
    src.on('end', () => this.push('end'));
  }

  /** the other side is gone: after the delay, reset this one */
  reset(): void {
    this.push('reset');
  }

  private push(chunk: Buffer | 'end' | 'reset'): void {
    // deliveries never overtake each other, even when the clock steps
    const due = Math.max(performance.now() + this.delayMs, this.notBefore, this.lastDue);
    this.lastDue = due;
    this.queue.push({ due, chunk });
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, (this.queue[0] as { due: number }).due - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const now = performance.now();
    while (this.queue.length > 0 && (this.queue[0] as { due: number }).due <= now + 0.5) {
      const { chunk } = this.queue.shift() as { chunk: Buffer | 'end' | 'reset' };
      if (chunk === 'reset') {
        this.queue = [];
        if (!this.dst.destroyed) this.dst.resetAndDestroy();
        return;
      }
      if (this.dst.destroyed) continue;
      if (chunk === 'end') this.dst.end();
      else {
        this.queued -= chunk.length;
        this.dst.write(chunk);
        if (this.queued <= HIGH_WATER / 2 && this.src.isPaused()) this.src.resume();
      }
    }
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}

function relayConnection(client: Socket, route: RelayRoute, sockets: Set<Socket>): void {
  const accepted = performance.now();
  const upstream = connect({ host: route.to.host, port: route.to.port, allowHalfOpen: true });
  for (const s of [client, upstream]) {
    sockets.add(s);
    s.setNoDelay(true);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined); // a reset is passed on below, never thrown
  }
  const handshake = route.handshake === true ? 2 * route.delayMs : 0;
  const up = new DelayedPipe(client, upstream, route.delayMs, accepted + handshake + route.delayMs);
  const down = new DelayedPipe(upstream, client, route.delayMs, 0);
  // a side that closes without a clean end (reset, refused): the other side is reset one delay later
  let cleanFromClient = false;
  let cleanFromUpstream = false;
  client.on('end', () => (cleanFromClient = true));
  upstream.on('end', () => (cleanFromUpstream = true));
  client.on('close', () => {
    if (!cleanFromClient) up.reset();
  });
  upstream.on('close', () => {
    if (!cleanFromUpstream) down.reset();
  });
  const both = (): void => {
    if (client.destroyed && upstream.destroyed) {
      up.stop();
      down.stop();
    }
  };
  client.on('close', both);
  upstream.on('close', both);
}

/** Listen on `host`, port 0, one listener per route. */
export async function startRelay(routes: RelayRoute[], host = '127.0.0.1'): Promise<Relay> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const listeners: RelayListener[] = [];
  try {
    for (const route of routes) {
      const server = createServer({ noDelay: true, allowHalfOpen: true }, (c) => relayConnection(c, route, sockets));
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve());
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      listeners.push({ id: route.id, port, url: `http://${host}:${port}` });
    }
  } catch (e) {
    for (const s of servers) s.close();
    throw e;
  }
  return {
    listeners,
    open: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
