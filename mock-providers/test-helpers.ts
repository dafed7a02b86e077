/** Test helpers: a tiny fleet with constant latencies, and an SSE client that timestamps every event. */
import { performance } from 'node:perf_hooks';
import { FleetSchema, type Fleet } from './fleet-schema.js';

export const TTFT_MS = 120;
export const ITL_MS = 5;
export const OUTPUT_TOKENS = 20;

/** `acme` in two regions (`a`, `b`) serving `m1` (0.5 / 2.0 USD per 1M tokens), constant latencies. */
export function testFleet(seed = 7): Fleet {
  return FleetSchema.parse({
    seed,
    providers: [
      {
        name: 'acme',
        format: 'openai',
        regions: ['a', 'b'],
        models: [
          {
            name: 'm1',
            price: { input: 0.5, output: 2.0 },
            ttftMs: { dist: 'constant', value: TTFT_MS },
            itlMs: { dist: 'constant', value: ITL_MS },
            outputTokens: { dist: 'constant', value: OUTPUT_TOKENS },
          },
        ],
      },
    ],
  });
}

const constModel = (name: string, ttft: number, itl: number, out: number) => ({
  name,
  price: { input: 1, cachedInput: 0.1, output: 2 },
  ttftMs: { dist: 'constant', value: ttft },
  itlMs: { dist: 'constant', value: itl },
  outputTokens: { dist: 'constant', value: out },
});

/**
 * One endpoint per wire format, quick constant latencies: `oai/r1` (openai: `gpt-x`, embeddings
 * `emb-x` at 256 dimensions), `ant/r1` (anthropic: `claude-x`), `goo/r1` (gemini: `gemini-x`).
 */
export function sdkFleet(seed = 7): Fleet {
  return FleetSchema.parse({
    seed,
    providers: [
      {
        name: 'oai',
        format: 'openai',
        regions: ['r1'],
        models: [constModel('gpt-x', 30, 2, 12)],
        embeddings: [{ name: 'emb-x', price: { input: 0.02 }, dimensions: 256, latencyMs: { dist: 'constant', value: 5 } }],
      },
      { name: 'ant', format: 'anthropic', regions: ['r1'], models: [constModel('claude-x', 30, 2, 12)] },
      { name: 'goo', format: 'gemini', regions: ['r1'], models: [constModel('gemini-x', 30, 2, 12)] },
    ],
  });
}

/** The fields of an OpenAI chat.completion(.chunk) the tests read. */
export interface ChatJson {
  id?: string;
  object?: string;
  model?: string;
  system_fingerprint?: string;
  choices?: Array<{ delta?: { role?: string; content?: string }; message?: { content?: string }; finish_reason?: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

export interface SseEvent {
  /** ms after the request was started */
  at: number;
  data: string;
  json: ChatJson | null;
}

export interface SseResult {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** ms to the first event carrying delta.content */
  ttftMs: number;
  /** the body ended with `data: [DONE]` */
  done: boolean;
  /** the body broke off with a network error */
  cut: boolean;
}

export async function postChat(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Stream one chat completion; `onEvent` may return true to abandon the stream. */
export async function streamChat(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  onEvent?: (e: SseEvent, i: number) => boolean | void,
): Promise<SseResult> {
  const t0 = performance.now();
  const ctrl = new AbortController();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ ...body, stream: true }),
    signal: ctrl.signal,
  });
  const events: SseEvent[] = [];
  let ttftMs = Number.NaN;
  let cut = false;
  const decoder = new TextDecoder();
  let buf = '';
  try {
    outer: for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const at = performance.now() - t0;
      buf += decoder.decode(chunk, { stream: true });
      let sep: number;
      while ((sep = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, sep);
        buf = buf.slice(sep + 2);
        const data = block.replace(/^data: /, '');
        const json = data === '[DONE]' ? null : (JSON.parse(data) as ChatJson);
        const e: SseEvent = { at, data, json };
        events.push(e);
        if (Number.isNaN(ttftMs) && json?.choices?.[0]?.delta?.content) ttftMs = at;
        if (onEvent?.(e, events.length - 1)) {
          ctrl.abort();
          break outer;
        }
      }
    }
  } catch {
    cut = true;
  }
  return { status: res.status, headers: res.headers, events, ttftMs, done: events.at(-1)?.data === '[DONE]', cut };
}

/** Resolve when `pred` holds, polling every 10 ms, or fail after `ms`. */
export async function until(pred: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
