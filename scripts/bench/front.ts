/**
 * `npm run bench:front`: what the lab's round-robin front (scripts/lab/front.ts) adds to a request.
 * Three upstream SSE servers on loopback each stream 20 events 2 ms apart; the same requests go
 * straight to them (round robin in the client) and through the front, interleaved in rounds so a
 * busy machine weighs on both alike. Prints time to the first event and to the end (p50, p99) for
 * each path and the front's extra time as a difference and a ratio. The upstreams run in this
 * process too, as the front does in the CLI's.
 * Env: BENCH_FRONT_REQUESTS (default 600 per path), BENCH_FRONT_CONCURRENCY (default 16).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { startFront } from '../lab/front.js';

const REQUESTS = Number(process.env.BENCH_FRONT_REQUESTS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_FRONT_CONCURRENCY ?? 16);
const EVENTS = 20;
const GAP_MS = 2;

async function upstream(): Promise<{ url: string; server: Server }> {
  const server = createServer({ noDelay: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const tick = (): void => {
        if (n === EVENTS) return void res.end('data: [DONE]\n\n');
        res.write(`data: {"choices":[{"delta":{"content":"token ${n++}"}}]}\n\n`);
        setTimeout(tick, GAP_MS);
      };
      tick();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** One streamed request: ms to the first body chunk and to the end. */
function timed(url: string): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = NaN;
    const u = new URL(url);
    const options = { host: u.hostname, port: u.port, method: 'POST', path: '/v1/chat/completions', agent: false };
    const req = request(options, (res) => {
      res.on('data', () => {
        if (Number.isNaN(first)) first = performance.now() - t0;
      });
      res.on('end', () => resolve([first, performance.now() - t0]));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end('{"stream":true}');
  });
}

async function run(urls: () => string, n: number, into: { first: number[]; total: number[] }): Promise<void> {
  let left = n;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) {
        const [f, t] = await timed(urls());
        into.first.push(f);
        into.total.push(t);
      }
    }),
  );
}

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

const ups = await Promise.all([upstream(), upstream(), upstream()]);
const front = await startFront({ instances: ups.map((u) => u.url) });
const direct = { first: [] as number[], total: [] as number[] };
const proxied = { first: [] as number[], total: [] as number[] };
let turn = 0;
const rounds = 6;
for (let r = 0; r < rounds; r++) {
  await run(() => ups[turn++ % ups.length]!.url, REQUESTS / rounds, direct);
  await run(() => front.url, REQUESTS / rounds, proxied);
}
await front.close();
for (const u of ups) u.server.close();

const shape = `${CONCURRENCY} at a time, ${EVENTS} events ${GAP_MS} ms apart`;
console.log(`front bench: ${REQUESTS} streamed requests per path, ${shape}`);
console.log(`(${loadavg()[0]?.toFixed(1)} load average on ${availableParallelism()} cores)`);
for (const [name, key] of [['first event', 'first'], ['end of stream', 'total']] as const) {
  for (const q of [0.5, 0.99]) {
    const d = pct(direct[key], q);
    const p = pct(proxied[key], q);
    const label = `${name} p${q * 100}`.padEnd(20);
    const extra = `+${(p - d).toFixed(2)} ms (×${(p / d).toFixed(2)})`;
    console.log(`${label} direct ${d.toFixed(2)} ms · through the front ${p.toFixed(2)} ms · ${extra}`);
  }
}
