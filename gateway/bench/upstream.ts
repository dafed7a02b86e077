/**
 * Bench child: a zero-latency OpenAI-compatible upstream on node:http. POST /v1/chat/completions
 * answers a chat completion at once, or — for `"stream":true` — a short SSE stream (a role chunk,
 * four content chunks, the finish chunk, the usage chunk, `[DONE]`), one event per event-loop turn
 * so each leaves as its own write, as a real upstream's tokens do. Bodies are built once.
 */
import { createServer } from 'node:http';
import { CONTENT, USAGE, sseEvents } from '../testing/fake-upstreams.js';
import { BENCH_MODEL, portOf, serveBench } from './protocol.js';

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: BENCH_MODEL,
  system_fingerprint: 'stormlab:bench',
  choices: [{ index: 0, message: { role: 'assistant', content: CONTENT.join('') }, finish_reason: 'stop' }],
  usage: USAGE,
});
const events = sseEvents('bench', BENCH_MODEL, true);
const STREAM_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(completion)) };

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (s: string) => (body += s));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    if (!/"stream"\s*:\s*true/.test(body)) {
      res.writeHead(200, JSON_HEADERS).end(completion);
      return;
    }
    res.writeHead(200, STREAM_HEADERS);
    let i = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (i === events.length - 1) return void res.end(events[i]);
      res.write(events[i++]);
      setImmediate(next);
    };
    next();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', 8192, () => {
  void serveBench(`http://127.0.0.1:${portOf(server.address())}`, () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
});
