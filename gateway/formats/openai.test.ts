import { describe, expect, it } from 'vitest';
import type { DecodeContext, StreamItem } from '../domain/format.js';
import { ChatRequestSchema } from '../domain/request.js';
import { scanChunk } from './openai-scan.js';
import { openaiFormat as f } from './openai.js';
import { StreamItems } from './stream-items.js';

const ctx: DecodeContext = {
  id: 'chatcmpl-gw1',
  model: 'gpt-4o-mini',
  created: 1_700_000_000,
  logprobs: false,
  promptTokens: 11,
};
const req = (extra: Record<string, unknown> = {}) =>
  ChatRequestSchema.parse({ model: 'front', messages: [{ role: 'user', content: 'hi' }], ...extra });
const decode = (sse: string, c: DecodeContext = ctx): { items: StreamItem[]; end: StreamItem[] } => {
  const s = new StreamItems(f.streamDecoder(c));
  return { items: s.push(Buffer.from(sse)), end: s.end() };
};

// recorded from api.openai.com (gpt-4o-mini, stream_options.include_usage), ids shortened
const HEAD =
  '{"id":"chatcmpl-B9","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":';
const ROLE = `${HEAD}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"q3"}`;
const HELLO = `${HEAD}[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"s8Jx"}`;
const QUOTE = `${HEAD}[{"index":0,"delta":{"content":" \\"there\\"\\n"},"logprobs":null,"finish_reason":null}],"usage":null}`;
const FINISH = `${HEAD}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}`;
const USAGE =
  `${HEAD}[],"usage":{"prompt_tokens":19,"completion_tokens":3,"total_tokens":22,` +
  '"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}';
const sse = (...events: string[]): string => events.map((e) => `data: ${e}\n\n`).join('');

describe('openai: requests', () => {
  it('always asks a stream for usage, keeps the client’s fields, names the target model', () => {
    const body = JSON.parse(
      f.encodeChat(req({ stream: true, temperature: 0.2, stream_options: { include_usage: false } }), {
        model: 'gpt-4o',
      }),
    );
    expect(body).toMatchObject({
      model: 'gpt-4o',
      stream: true,
      temperature: 0.2,
      stream_options: { include_usage: true },
    });
    expect(JSON.parse(f.encodeChat(req(), { model: 'gpt-4o' })).stream_options).toBeUndefined();
  });

  it('drops metadata unless the completion is stored (OpenAI refuses it otherwise)', () => {
    expect(JSON.parse(f.encodeChat(req({ metadata: { feature: 'chat' } }), { model: 'm' })).metadata).toBeUndefined();
    expect(
      JSON.parse(f.encodeChat(req({ metadata: { feature: 'chat' }, store: true }), { model: 'm' })).metadata,
    ).toEqual({ feature: 'chat' });
  });

  it('continues a prefill as a trailing assistant message marked prefix', () => {
    const body = JSON.parse(f.encodeChat(req(), { model: 'deepseek-chat', prefill: 'Once upon' }));
    expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: 'Once upon', prefix: true });
    expect(f.chatPath('x', true)).toBe('/v1/chat/completions');
    expect(f.authHeaders('sk-1')).toEqual({ authorization: 'Bearer sk-1' });
  });
});

describe('openai: stream', () => {
  it('forwards the upstream’s own chunk text; content, text, finish, usage and done in order', () => {
    const { items, end } = decode(sse(ROLE, HELLO, QUOTE, FINISH, USAGE, '[DONE]'));
    expect(items.map((i) => i.kind)).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'usage', 'done']);
    expect(items.slice(0, 4).map((i) => i.kind === 'chunk' && i.data)).toEqual([ROLE, HELLO, QUOTE, FINISH]);
    expect(items.slice(0, 4).map((i) => i.kind === 'chunk' && i.content)).toEqual([false, true, true, false]);
    expect(items[1]).toMatchObject({ text: 'Hello' });
    expect(items[2]).toMatchObject({ text: ' "there"\n' });
    expect(items[4]).toMatchObject({
      data: USAGE,
      usage: { prompt_tokens: 19, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(end).toEqual([]);
  });

  it('names the finish reason on the chunk that carries it (escaped ones read as JSON), and hands on the parsed usage chunk', () => {
    const length = FINISH.replace('"stop"', '"length"');
    const odd = FINISH.replace('"stop"', '"tool\\u005fcalls"');
    const { items } = decode(sse(HELLO, length, odd, USAGE));
    expect(items.map((i) => (i.kind === 'chunk' ? (i.finish ?? null) : i.kind))).toEqual([null, 'length', 'tool_calls', 'usage', 'done']);
    const usage = items[3] as Extract<StreamItem, { kind: 'usage' }>;
    expect(usage.chunk).toEqual(JSON.parse(USAGE));
    const bare = `${HEAD}[{"index":0,"finish_reason":"content_filter"}]}`;
    expect(decode(sse(HELLO, bare)).items[1]).toMatchObject({ kind: 'chunk', content: false, finish: 'content_filter' });
  });

  it('is done at usage after the finish reason, without waiting for [DONE]', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(Buffer.from(sse(HELLO, FINISH, USAGE)));
    expect(items.at(-1)).toEqual({ kind: 'done' });
    expect(s.push(Buffer.from(sse('[DONE]')))).toEqual([]);
  });

  it('Azure’s prompt_filter_results chunk (choices: [], no usage) passes as a non-content chunk', () => {
    const azure =
      '{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,' +
      '"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}';
    const { items } = decode(sse(azure, HELLO));
    expect(items).toEqual([
      { kind: 'chunk', data: azure, content: false },
      { kind: 'chunk', data: HELLO, content: true, text: 'Hello' },
    ]);
  });

  it('a finish reason sent without a delta still counts', () => {
    const bare = `${HEAD}[{"index":0,"finish_reason":"stop"}]}`;
    const { items, end } = decode(sse(HELLO, bare));
    expect(items.map((i) => i.kind)).toEqual(['chunk', 'chunk']);
    expect(end.map((i) => i.kind)).toEqual(['usage', 'done']);
  });

  it('a tool-call chunk is content', () => {
    const tool = `${HEAD}[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"logprobs":null,"finish_reason":null}]}`;
    expect(decode(sse(tool)).items[0]).toMatchObject({ kind: 'chunk', content: true });
  });

  it('a truncated event is malformed, and the stream goes on', () => {
    const { items } = decode(sse(HELLO.slice(0, Math.ceil(HELLO.length / 2)), HELLO, `${HELLO.slice(0, -2)}}`));
    expect(items.map((i) => i.kind)).toEqual(['malformed', 'chunk', 'malformed']);
  });

  it('an error inside the stream is an error item, classified', () => {
    const err =
      '{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}';
    const { items } = decode(sse(HELLO, err));
    expect(items[1]).toEqual({
      kind: 'error',
      error: {
        kind: 'server',
        body: {
          error: {
            message: 'The server had an error while processing your request.',
            type: 'server_error',
            code: 'server_error',
            param: null,
          },
        },
      },
    });
  });

  it('ends a stream that saw a finish reason but no usage and no [DONE] with estimated usage and done', () => {
    const { items, end } = decode(sse(ROLE, HELLO, QUOTE, FINISH));
    expect(items.some((i) => i.kind === 'done')).toBe(false);
    expect(end.map((i) => i.kind)).toEqual(['usage', 'done']);
    // "Hello" + ' "there"\n' = 14 chars → 4 tokens; prompt from the gateway's estimate
    expect(end[0]).toMatchObject({ usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 } });
    const chunk = JSON.parse((end[0] as { data: string }).data);
    expect(chunk).toMatchObject({
      id: 'chatcmpl-B9',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [],
    });
  });

  it('a stream cut before any finish reason is not completed by end()', () => {
    expect(decode(sse(ROLE, HELLO)).end).toEqual([]);
  });

  it('[DONE] without usage (an upstream that ignores include_usage) still yields usage, estimated', () => {
    const { items } = decode(sse(HELLO, FINISH, '[DONE]'));
    expect(items.slice(-2).map((i) => i.kind)).toEqual(['usage', 'done']);
  });

  it('extracts logprobs when the client asked for them', () => {
    const lp = `${HEAD}[{"index":0,"delta":{"content":"Hi"},"logprobs":{"content":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[]}],"refusal":null},"finish_reason":null}]}`;
    expect(decode(sse(lp), { ...ctx, logprobs: true }).items[0]).toMatchObject({
      content: true,
      text: 'Hi',
      logprobs: [-0.25],
    });
    expect(decode(sse(lp)).items[0]).not.toHaveProperty('logprobs');
  });

  it('usage riding on the finish chunk (vLLM, some routers) still counts, once', () => {
    const both = `${HEAD}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}`;
    const { items } = decode(sse(HELLO, both));
    expect(items.map((i) => i.kind)).toEqual(['chunk', 'chunk', 'usage', 'done']);
    expect(JSON.parse((items[2] as { data: string }).data)).toMatchObject({
      choices: [],
      usage: { completion_tokens: 7 },
    });
  });

  it('DeepSeek’s prompt_cache_hit_tokens become cached_tokens', () => {
    const ds =
      '{"id":"x","object":"chat.completion.chunk","created":1,"model":"deepseek-chat","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":4,"total_tokens":104,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36}}';
    expect(decode(sse(ds)).items[0]).toMatchObject({
      kind: 'usage',
      usage: { prompt_tokens_details: { cached_tokens: 64 } },
    });
  });

  it('the scan catches truncation anywhere, strings and escapes included, and reads keys only as keys', () => {
    const ok = (d: string) => scanChunk(d).ok;
    expect(ok('{"a":"}"}')).toBe(true);
    expect(ok('{"a":"\\\\"}')).toBe(true);
    expect(ok('{"a":"\\\\\\"}')).toBe(false);
    expect(ok('{"a":"\\"}')).toBe(false);
    expect(ok('{"a":[1,2}')).toBe(false);
    expect(ok('{"a":1}}')).toBe(false);
    expect(ok('{"a":{"b":1}')).toBe(false);
    const s = scanChunk(
      '{"choices":[{"delta":{"content":"say \\"usage\\":{ and \\"finish_reason\\":\\"x"},"finish_reason":null}]}',
    );
    expect({ ok: s.ok, delta: s.delta, usage: s.usage, finish: s.finish, escaped: s.contentEscaped }).toEqual({
      ok: true,
      delta: true,
      usage: false,
      finish: false,
      escaped: true,
    });
  });
});

describe('openai: bodies and errors', () => {
  const completion = {
    id: 'chatcmpl-stormlab:oai/r1:1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-x',
    system_fingerprint: 'stormlab:oai/r1',
    choices: [
      { index: 0, message: { role: 'assistant', content: 'hello there' }, logprobs: null, finish_reason: 'stop' },
    ],
  };

  it('keeps the upstream’s body (id and fingerprint survive) and estimates usage it lacks', () => {
    const out = f.decodeChat(structuredClone(completion), ctx)!;
    expect(out).toMatchObject({ id: 'chatcmpl-stormlab:oai/r1:1', system_fingerprint: 'stormlab:oai/r1' });
    expect(out.usage).toEqual({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    expect(f.decodeChat({ object: 'list', data: [] }, ctx)).toBeUndefined();
  });

  it('context_length_exceeded by code, and by message (DeepSeek, vLLM)', () => {
    const oai =
      '{"error":{"message":"This model\'s maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}';
    expect(f.decodeError(400, oai)).toMatchObject({
      kind: 'context_length',
      body: { error: { code: 'context_length_exceeded', param: 'messages' } },
    });
    const ds =
      '{"error":{"message":"This model\'s maximum context length is 65536 tokens. However, you requested 70000 tokens (69000 in the messages, 1000 in the completion).","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}';
    expect(f.decodeError(400, ds).kind).toBe('context_length');
  });

  it('Azure’s content filter is policy; 429 rate limit; 503 overloaded; other 400 invalid', () => {
    const azure =
      '{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation"}}}';
    expect(f.decodeError(400, azure)).toMatchObject({
      kind: 'policy',
      body: { error: { code: 'content_policy_violation', param: 'prompt' } },
    });
    expect(
      f.decodeError(
        429,
        '{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
      ).kind,
    ).toBe('rate_limit');
    expect(
      f.decodeError(
        503,
        '{"error":{"message":"The engine is currently overloaded","type":"server_error","param":null,"code":null}}',
      ).kind,
    ).toBe('overloaded');
    expect(
      f.decodeError(
        400,
        '{"error":{"message":"Unrecognized request argument supplied: foo","type":"invalid_request_error","param":null,"code":null}}',
      ),
    ).toMatchObject({
      kind: 'invalid',
      body: {
        error: { message: 'Unrecognized request argument supplied: foo', type: 'invalid_request_error', code: null },
      },
    });
  });

  it('a refused key never reaches the client, not even masked', () => {
    const e = f.decodeError(
      401,
      '{"error":{"message":"Incorrect API key provided: sk-proj-********xyz1. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    );
    expect(e.kind).toBe('auth');
    expect(e.body.error.message).not.toMatch(/sk-|xyz1/);
    expect(e.body.error.type).toBe('authentication_error');
  });

  it('a body that is not JSON (a proxy’s HTML page) still makes a clear error', () => {
    const e = f.decodeError(502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
    expect(e).toMatchObject({
      kind: 'server',
      body: { error: { message: 'upstream answered HTTP 502: 502 Bad Gateway nginx', type: 'server_error' } },
    });
  });
});
