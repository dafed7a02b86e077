/**
 * A tiny OpenAI-shaped upstream for the driver's tests (fastify on port 0). The request's
 * `model` picks the behaviour:
 * - `sse`: stream; first content after `ttftMs`, then one content chunk every `itlMs`, a usage chunk, [DONE]
 * - `plain`: non-streamed completion after `delayMs`
 * - `cut`: stream that ends cleanly but without [DONE]
 * - `reset`: stream whose socket is destroyed mid-way
 * - `boom`: HTTP 500 with an OpenAI error body
 * Headers: x-stormlab-provider/attempts/cache always; the region only via system_fingerprint; a
 * request header `x-test-cache-source: <id>` makes a `plain` answer a semantic hit from that request.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export interface UpstreamTiming {
  ttftMs: number;
  itlMs: number;
  contentChunks: number;
  delayMs: number;
}

export interface ReceivedRequest {
  id: string;
  headers: Record<string, string | string[] | undefined>;
  body: { model: string; stream?: boolean; messages: Array<{ role: string; content: string }> };
}

export interface TestUpstream {
  url: string;
  /** x-request-id of every request received */
  requestIds: string[];
  /** every request received, in arrival order */
  received: ReceivedRequest[];
  close(): Promise<void>;
}

const FINGERPRINT = 'stormlab:acme/mars-1';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function chunk(delta: Record<string, unknown>): string {
  const c = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 0, model: 'm', system_fingerprint: FINGERPRINT, choices: [{ index: 0, delta, finish_reason: null }] };
  return `data: ${JSON.stringify(c)}\n\n`;
}

export async function startTestUpstream(timing: Partial<UpstreamTiming> = {}): Promise<TestUpstream> {
  const t: UpstreamTiming = { ttftMs: 80, itlMs: 10, contentChunks: 5, delayMs: 50, ...timing };
  const app: FastifyInstance = Fastify({ logger: false });
  const requestIds: string[] = [];
  const received: ReceivedRequest[] = [];

  app.post('/v1/chat/completions', async (req, reply) => {
    const body = req.body as ReceivedRequest['body'];
    requestIds.push(String(req.headers['x-request-id']));
    received.push({ id: String(req.headers['x-request-id']), headers: req.headers, body });
    const headers = { 'x-stormlab-provider': 'acme', 'x-stormlab-attempts': '2', 'x-stormlab-cache': 'miss', 'x-request-id': String(req.headers['x-request-id']) };
    if (body.model === 'boom') {
      return reply.code(500).headers(headers).send({ error: { message: 'upstream exploded', type: 'server_error' } });
    }
    if (body.model === 'plain') {
      await sleep(t.delayMs);
      // a test can make the answer look reused from another request: x-test-cache-source → x-stormlab-cache-source
      const source = req.headers['x-test-cache-source'];
      const cache = typeof source === 'string' ? { 'x-stormlab-cache': 'semantic', 'x-stormlab-cache-source': source } : { 'x-stormlab-cache': 'exact' };
      return reply.headers({ ...headers, ...cache }).send({
        id: 'chatcmpl-t',
        object: 'chat.completion',
        system_fingerprint: FINGERPRINT,
        choices: [{ index: 0, message: { role: 'assistant', content: 'hello world!' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14, cost_usd: 0.0005 },
      });
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
    raw.write(chunk({ role: 'assistant', content: '' }));
    await sleep(t.ttftMs);
    for (let i = 0; i < t.contentChunks; i++) {
      if (i > 0) await sleep(t.itlMs);
      raw.write(chunk({ content: `tok${i} ` }));
      if (body.model === 'reset' && i === 1) {
        raw.socket?.destroy();
        return;
      }
    }
    if (body.model === 'cut') {
      raw.end();
      return;
    }
    const usage = { id: 'chatcmpl-t', object: 'chat.completion.chunk', system_fingerprint: FINGERPRINT, choices: [], usage: { prompt_tokens: 21, completion_tokens: t.contentChunks, total_tokens: 21 + t.contentChunks, cost_usd: 0.001 } };
    raw.write(`data: ${JSON.stringify(usage)}\n\ndata: [DONE]\n\n`);
    raw.end();
  });

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    requestIds,
    received,
    close: async () => {
      await app.close();
    },
  };
}
