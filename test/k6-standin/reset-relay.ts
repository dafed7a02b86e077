/**
 * A fault for the stand-in test: a TCP relay in front of the real gateway that resets the
 * connection (RST) a few hundred bytes into every event-stream response, so the client's read
 * fails mid-stream as when a gateway instance dies. Other responses (with a content-length) pass.
 */
import net from 'node:net';

export interface ResetRelay {
  url: string;
  /** streams cut so far */
  cuts: number;
  close(): Promise<void>;
}

export async function startResetRelay(target: string, bodyBytes = 400): Promise<ResetRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const relay: ResetRelay = { url: '', cuts: 0, close: async () => {} };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    // responses in order: a head, then `body` bytes to pass (a stream: `bodyBytes`, then the reset)
    let head = Buffer.alloc(0);
    let body = -1;
    let stream = false;
    let cut = false;
    const reset = (): void => {
      cut = true;
      relay.cuts++;
      client.resetAndDestroy();
      upstream.destroy();
    };
    upstream.on('data', (chunk: Buffer) => {
      let rest = chunk;
      while (rest.length > 0 && !cut) {
        if (body < 0) {
          head = Buffer.concat([head, rest]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return void client.write(rest);
          const text = head.subarray(0, end).toString('latin1');
          stream = /content-type:\s*text\/event-stream/i.test(text);
          body = stream ? bodyBytes : Number(/content-length:\s*(\d+)/i.exec(text)?.[1] ?? 0);
          const headPart = rest.length - (head.length - end - 4);
          client.write(rest.subarray(0, headPart));
          rest = rest.subarray(headPart);
          head = Buffer.alloc(0);
          continue;
        }
        const pass = rest.subarray(0, body);
        client.write(pass);
        body -= pass.length;
        rest = rest.subarray(pass.length);
        if (body > 0) return;
        body = -1;
        if (stream) return void client.write(Buffer.alloc(0), reset);
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  relay.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  relay.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return relay;
}
