/**
 * A bare node:http OpenAI-shaped server with KNOWN injected delays, run in its own process (so its
 * timers do not share an event loop with the driver under test). It records, per request, the
 * delays it actually produced — its own clock from arrival to the first content write and to the
 * end — which is the ground truth the driver's measurements are held against.
 *
 * The request's `model` is the program:
 * - `delay-<ttft>-<itl>-<chunks>`: stream (or not, per `stream`): first content chunk after
 *   <ttft> ms, then one content chunk every <itl> ms, <chunks> in all; a non-stream body is sent
 *   whole at the time the last chunk would have gone out;
 * - `serial-<ms>`: one request served at a time, <ms> each (a saturated server);
 * - `fast`: a tiny completion at once (the bench).
 * GET /truth → `[{ id, ttftMs, e2eMs }]` (ttft null for non-streams); GET /stall → the worst
 * event-loop delay of this process since the last reset, ms (a stalled server stamps arrivals
 * late); POST /truth/reset clears both.
 *
 * Run as a child: `node --import tsx driver/testing/delay-server.ts`; it sends `{ port }` over IPC
 * (or prints `{"port":…}` when there is no IPC channel).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

interface Truth {
  id: string;
  ttftMs: number | null;
  e2eMs: number;
}

const truths: Truth[] = [];
let loop = monitorEventLoopDelay({ resolution: 2 });
loop.enable();
const FP = 'stormlab:truth/local';
const head = (o: string): string => `{"id":"chatcmpl-t","object":"${o}","created":0,"model":"m","system_fingerprint":"${FP}",`;
const chunk = (content: string): string => `data: ${head('chat.completion.chunk')}"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
const ROLE = `data: ${head('chat.completion.chunk')}"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`;
const completion = (text: string, n: number): string =>
  `${head('chat.completion')}"choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(text)}},"finish_reason":"stop"}],` +
  `"usage":{"prompt_tokens":10,"completion_tokens":${n},"total_tokens":${10 + n}}}`;
const FAST = completion('ok', 1);

/**
 * Run `fn` at an absolute performance.now() time, by timer only: no spinning, so the loop stays
 * free to stamp arrivals. A timer that fires late makes the delay longer — and the record says so.
 */
function at(t: number, fn: () => void): void {
  setTimeout(fn, Math.max(0, t - performance.now()));
}

let serialFree = 0;

function delayed(res: ServerResponse, id: string, arrival: number, stream: boolean, ttft: number, itl: number, n: number): void {
  if (!stream) {
    at(arrival + ttft + itl * (n - 1), () => {
      const text = Array.from({ length: n }, (_, i) => `tok${i} `).join('');
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id });
      res.end(completion(text, n));
      truths.push({ id, ttftMs: null, e2eMs: performance.now() - arrival });
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': id });
  res.write(ROLE);
  let first = 0;
  const send = (i: number): void => {
    res.write(chunk(`tok${i} `));
    if (i === 0) first = performance.now();
    if (i + 1 < n) {
      at(arrival + ttft + itl * (i + 1), () => send(i + 1));
      return;
    }
    res.end(`data: ${head('chat.completion.chunk')}"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":${n},"total_tokens":${10 + n}}}\n\ndata: [DONE]\n\n`);
    const end = performance.now();
    truths.push({ id, ttftMs: first - arrival, e2eMs: end - arrival });
  };
  at(arrival + ttft, () => send(0));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const arrival = performance.now();
  const id = String(req.headers['x-request-id'] ?? '');
  if (req.method === 'GET' && req.url === '/truth') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(truths));
    return;
  }
  if (req.method === 'GET' && req.url === '/stall') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ maxMs: loop.max / 1e6 }));
    return;
  }
  if (req.method === 'POST' && req.url === '/truth/reset') {
    truths.length = 0;
    loop.disable();
    loop = monitorEventLoopDelay({ resolution: 2 });
    loop.enable();
    res.writeHead(204).end();
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    let body: { model?: string; stream?: boolean };
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8')) as typeof body;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
      return;
    }
    const model = body.model ?? '';
    if (model === 'fast') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(FAST);
      return;
    }
    const d = /^delay-(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)-(\d+)$/.exec(model);
    if (d) {
      delayed(res, id, arrival, body.stream === true, Number(d[1]), Number(d[2]), Math.max(1, Number(d[3])));
      return;
    }
    const s = /^serial-(\d+)$/.exec(model);
    if (s) {
      const start = Math.max(arrival, serialFree);
      serialFree = start + Number(s[1]);
      at(serialFree, () => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(completion('done', 1));
        truths.push({ id, ttftMs: null, e2eMs: performance.now() - arrival });
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(`{"error":{"message":"unknown model ${model}"}}`);
  });
}

const server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, handle);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  if (process.send) process.send({ port });
  else process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('disconnect', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
