/**
 * Small OpenAI-compatible upstreams on port 0 for gateway tests (like autocannon's test/helper.js
 * fault servers): an OK responder (JSON, or SSE for stream requests, optionally holding back the
 * end of the stream until released), 5xx/429 answers, a hang, a stream cut mid-way, a closed port.
 * They record what they received so tests can assert the headers the gateway sent.
 */
import { createServer, type AddressInfo } from 'node:net';
import Fastify from 'fastify';

export type Behavior =
  /** JSON, or SSE when the request says `stream: true`; `hold` keeps the end of a stream back until it resolves */
  | { kind: 'ok'; hold?: Promise<void> }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'cut'; afterChunks: number };

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface FakeUpstream {
  readonly id: string;
  readonly url: string;
  readonly received: Received[];
  /** streamed or held responses whose connection closed before the upstream finished them */
  readonly aborts: number;
  behave(b: Behavior): void;
  close(): Promise<void>;
}

export const USAGE = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
export const CONTENT = ['Hel', 'lo', ' wor', 'ld'];

function completion(id: string, model: string) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1,
    model,
    system_fingerprint: `stormlab:${id}`,
    choices: [{ index: 0, message: { role: 'assistant', content: CONTENT.join('') }, finish_reason: 'stop' }],
    usage: USAGE,
  };
}

function chunk(id: string, model: string, delta: Record<string, unknown>, finish: string | null = null): string {
  const c = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1, model, system_fingerprint: `stormlab:${id}`, choices: [{ index: 0, delta, finish_reason: finish }] };
  return `data: ${JSON.stringify(c)}\n\n`;
}

/** The SSE events an OpenAI upstream sends for CONTENT, with the usage chunk when asked. */
export function sseEvents(id: string, model: string, includeUsage: boolean): string[] {
  const events = [chunk(id, model, { role: 'assistant', content: '' }), ...CONTENT.map((t) => chunk(id, model, { content: t })), chunk(id, model, {}, 'stop')];
  if (includeUsage) {
    const u = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1, model, system_fingerprint: `stormlab:${id}`, choices: [], usage: USAGE };
    events.push(`data: ${JSON.stringify(u)}\n\n`);
  }
  events.push('data: [DONE]\n\n');
  return events;
}

const tick = () => new Promise((r) => setTimeout(r, 5));

export async function startFakeUpstream(id: string, initial: Behavior = { kind: 'ok' }): Promise<FakeUpstream> {
  let behavior = initial;
  let aborts = 0;
  const received: Received[] = [];
  const app = Fastify({ forceCloseConnections: true });
  app.post('/v1/chat/completions', async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    received.push({ headers: request.headers, body });
    const model = String(body.model);
    const b = behavior;
    if (b.kind === 'ok' && body.stream !== true) return reply.send(completion(id, model));
    if (b.kind === 'status') {
      if (b.retryAfter !== undefined) reply.header('retry-after', b.retryAfter);
      return reply.code(b.status).send({ error: { message: `fake ${b.status}`, type: 'server_error', code: null, param: null } });
    }
    reply.hijack();
    const res = reply.raw;
    res.on('close', () => {
      if (!res.writableFinished) aborts += 1;
    });
    if (b.kind === 'hang') return; // never answers; closed by the gateway or forceCloseConnections
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const opts = body.stream_options as { include_usage?: boolean } | undefined;
    const events = sseEvents(id, model, opts?.include_usage === true);
    if (b.kind === 'cut') {
      for (const e of events.slice(0, b.afterChunks)) {
        res.write(e);
        await tick();
      }
      res.socket?.destroy();
      return;
    }
    const holdAt = events.length - (opts?.include_usage === true ? 3 : 2); // the finish chunk onwards waits for release
    for (const [i, e] of events.entries()) {
      if (i === holdAt && b.kind === 'ok' && b.hold) await b.hold;
      res.write(e);
      await tick();
    }
    res.end();
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    id,
    url,
    received,
    get aborts() {
      return aborts;
    },
    behave: (b) => {
      behavior = b;
    },
    close: () => app.close(),
  };
}

/** A URL on which nothing listens: connections are refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
