/**
 * Stream decoding cost per chunk: the OpenAI hot path (scan, own bytes forwarded) beside a
 * JSON.parse-per-chunk baseline measured in the same run, and the translating decoders.
 * `npx tsx gateway/formats/bench/decode.ts`
 */
import { performance } from 'node:perf_hooks';
import type { DecodeContext, SseEvent, StreamDecoder } from '../../domain/format.js';
import { anthropicFormat } from '../anthropic.js';
import { geminiFormat } from '../gemini.js';
import { openaiFormat } from '../openai.js';
import { parseSseEvent, SseSplitter } from '../../sse.js';

const ctx: DecodeContext = { id: 'chatcmpl-b', model: 'm', created: 1, logprobs: false, promptTokens: 20 };
const TOKENS = 60;
const words = Array.from({ length: TOKENS }, (_, i) => ` word${i}`);

const head =
  '{"id":"chatcmpl-stormlab:oai/r1:1","object":"chat.completion.chunk","created":1741570283,"model":"gpt-x",' +
  '"system_fingerprint":"stormlab:oai/r1","choices":[{"index":0,"delta":';
const openaiText: SseEvent[] = [
  {
    data: `${head}{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}`,
  },
  ...words.map((w) => ({
    data: `${head}{"content":${JSON.stringify(w)}},"logprobs":null,"finish_reason":null}],"usage":null}`,
  })),
  { data: `${head}{},"logprobs":null,"finish_reason":"stop"}],"usage":null}` },
  {
    data: '{"id":"x","object":"chat.completion.chunk","created":1,"model":"gpt-x","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":60,"total_tokens":80}}',
  },
  { data: '[DONE]' },
];
const anthropicText: SseEvent[] = [
  {
    event: 'message_start',
    data: '{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","usage":{"input_tokens":20,"output_tokens":1}}}',
  },
  ...words.map((w) => ({
    event: 'content_block_delta',
    data: `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(w)}}}`,
  })),
  {
    event: 'message_delta',
    data: '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":60}}',
  },
  { event: 'message_stop', data: '{"type":"message_stop"}' },
];
const geminiText: SseEvent[] = [
  ...words.map((w) => ({
    data: `{"candidates":[{"content":{"parts":[{"text":${JSON.stringify(w)}}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":20}}`,
  })),
  {
    data: '{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":60}}',
  },
];

/** Events as the gateway sees them: framed from bytes by the one SSE splitter (strings sliced from its buffer). */
function framed(events: SseEvent[]): SseEvent[] {
  const wire = events.map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}\n\n`).join('');
  const splitter = new SseSplitter();
  const out: SseEvent[] = [];
  for (let i = 0; i < wire.length; i += 1400)
    for (const raw of splitter.push(Buffer.from(wire.slice(i, i + 1400)))) out.push(parseSseEvent(raw)!);
  return out;
}
const openai = framed(openaiText);
const anthropic = framed(anthropicText);
const gemini = framed(geminiText);

/** The baseline: JSON.parse every chunk and read content, finish reason and usage from the object. */
class ParseEveryChunk implements StreamDecoder {
  push(e: SseEvent) {
    if (e.data === '[DONE]') return [];
    const v = JSON.parse(e.data) as {
      choices: Array<{ delta?: { content?: string }; finish_reason?: string | null }>;
      usage?: unknown;
    };
    const c = v.choices[0];
    return [{ kind: 'chunk' as const, data: e.data, content: !!c?.delta?.content, text: c?.delta?.content ?? '' }];
  }
  end() {
    return [];
  }
}

function nsPerChunk(make: () => StreamDecoder, events: SseEvent[]): number {
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const d = make();
      for (const e of events) d.push(e);
      d.end();
    }
  };
  run(2000);
  const rounds = 5_000;
  const t0 = performance.now();
  run(rounds);
  return ((performance.now() - t0) * 1e6) / (rounds * events.length);
}

// the machine is shared: variants run alternately, five rounds, and each keeps its best round
const variants: Array<[string, () => StreamDecoder, SseEvent[]]> = [
  ['openai: JSON.parse per chunk (baseline)', () => new ParseEveryChunk(), openai],
  ['openai: one scan, own bytes forwarded', () => openaiFormat.streamDecoder(ctx), openai],
  ['anthropic → OpenAI chunks', () => anthropicFormat.streamDecoder(ctx), anthropic],
  ['gemini → OpenAI chunks', () => geminiFormat.streamDecoder(ctx), gemini],
];
const best = variants.map(() => Number.POSITIVE_INFINITY);
for (let round = 0; round < 5; round++)
  variants.forEach(([, make, events], i) => (best[i] = Math.min(best[i]!, nsPerChunk(make, events))));
const base = best[0]!;
variants.forEach(([name], i) =>
  console.log(
    `${name.padEnd(42)} ${best[i]!.toFixed(0).padStart(6)} ns/chunk  ${(best[i]! / base).toFixed(2)}× baseline`,
  ),
);
console.log(`per ${TOKENS}-token stream, openai scan: ${((best[1]! * openai.length) / 1000).toFixed(1)} µs`);
