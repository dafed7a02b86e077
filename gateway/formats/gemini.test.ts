import { describe, expect, it } from 'vitest';
import type { DecodeContext, StreamItem } from '../domain/format.js';
import { ChatRequestSchema } from '../domain/request.js';
import { geminiFormat as f } from './gemini.js';
import { StreamItems } from './stream-items.js';

const ctx: DecodeContext = {
  id: 'chatcmpl-gw9',
  model: 'gemini-2.5-flash',
  created: 1_760_000_000,
  logprobs: false,
  promptTokens: 8,
};
const req = (extra: Record<string, unknown>) => ChatRequestSchema.parse({ model: 'front', ...extra });
const json = (i: StreamItem): Record<string, unknown> => JSON.parse((i as { data: string }).data);
const delta = (i: StreamItem): unknown => (json(i).choices as Array<{ delta: unknown }>)[0]!.delta;
const finishOf = (i: StreamItem): unknown => (json(i).choices as Array<{ finish_reason: unknown }>)[0]!.finish_reason;

describe('gemini: requests', () => {
  it('path names the model and asks for SSE; key in x-goog-api-key', () => {
    expect(f.chatPath('gemini-2.5-flash', true)).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(f.chatPath('models/gemini-2.5-pro', false)).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(f.authHeaders('AIzaX')).toEqual({ 'x-goog-api-key': 'AIzaX' });
  });

  it('a request of system messages only is asked as the user (Gemini needs one content)', () => {
    const body = JSON.parse(
      f.encodeChat(req({ messages: [{ role: 'system', content: 'Summarise: a b c' }] }), { model: 'g' }),
    );
    expect(body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Summarise: a b c' }] }] });
  });

  it('contents with roles user/model, systemInstruction, generationConfig, function calls and responses', () => {
    const body = JSON.parse(
      f.encodeChat(
        req({
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Weather in Paris?' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
              ],
            },
            { role: 'tool', tool_call_id: 'c1', content: '18°C' },
            { role: 'user', content: 'Thanks.' },
          ],
          max_tokens: 64,
          temperature: 1.5,
          stop: ['END', 'STOP'],
          stream: true,
          tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } }],
        }),
        { model: 'gemini-2.5-flash', prefill: 'You are' },
      ),
    );
    expect(body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Paris' } } }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'weather', response: { content: '18°C' } } }, { text: 'Thanks.' }],
        },
        { role: 'model', parts: [{ text: 'You are' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 64, temperature: 1.5, stopSequences: ['END', 'STOP'] },
      tools: [{ functionDeclarations: [{ name: 'weather', parameters: { type: 'object', properties: {} } }] }],
    });
  });
});

describe('gemini: answers', () => {
  const body = {
    candidates: [
      {
        content: { parts: [{ text: 'thinking…', thought: true }, { text: 'Hello there' }], role: 'model' },
        finishReason: 'MAX_TOKENS',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 1200,
      candidatesTokenCount: 3,
      thoughtsTokenCount: 40,
      cachedContentTokenCount: 1024,
      totalTokenCount: 1243,
    },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'stormlab:goo/r1:5',
  };

  it('a candidate as chat.completion: thoughts left out, usage with cached and thinking tokens', () => {
    expect(f.decodeChat(body, ctx)).toEqual({
      id: 'chatcmpl-gw9',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'gemini-2.5-flash',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello there' }, logprobs: null, finish_reason: 'length' },
      ],
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 43,
        total_tokens: 1243,
        prompt_tokens_details: { cached_tokens: 1024 },
      },
    });
  });

  it('a function call is tool_calls (Gemini says STOP); a blocked prompt is content_filter', () => {
    const call = {
      candidates: [
        {
          content: { parts: [{ functionCall: { name: 'weather', args: { city: 'Paris' } } }], role: 'model' },
          finishReason: 'STOP',
        },
      ],
    };
    const out = f.decodeChat(call, ctx)!;
    expect(out.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: null,
        tool_calls: [{ type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
      },
    });
    const blocked = {
      promptFeedback: { blockReason: 'SAFETY' },
      usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
    };
    expect(f.decodeChat(blocked, ctx)!.choices[0]).toMatchObject({
      finish_reason: 'content_filter',
      message: { content: '' },
    });
    expect(f.decodeChat({ foo: 1 }, ctx)).toBeUndefined();
  });

  it('errors: token count over the window → context_length; RESOURCE_EXHAUSTED with its retry delay; a bad key is auth', () => {
    const g = (code: number, status: string, message: string, details?: unknown[]) =>
      JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });
    expect(
      f.decodeError(
        400,
        g(
          400,
          'INVALID_ARGUMENT',
          'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
        ),
      ),
    ).toMatchObject({
      kind: 'context_length',
      body: { error: { code: 'context_length_exceeded', type: 'invalid_request_error' } },
    });
    const quota = f.decodeError(
      429,
      g(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17s' },
      ]),
    );
    expect(quota).toMatchObject({
      kind: 'rate_limit',
      retryAfterMs: 17_000,
      body: { error: { code: 'rate_limit_exceeded' } },
    });
    const key = g(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
    ]);
    expect(f.decodeError(400, key).kind).toBe('auth');
    expect(f.decodeError(503, g(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'))).toMatchObject(
      { kind: 'overloaded', body: { error: { code: 'UNAVAILABLE' } } },
    );
    expect(f.decodeError(400, g(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.')).kind).toBe(
      'invalid',
    );
  });
});

// as generativelanguage.googleapis.com sends it with ?alt=sse: CRLF line ends, usage on every event
const ev = (o: unknown): string => `data: ${JSON.stringify(o)}\r\n\r\n`;
const part = (text: string, extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...extra }],
  usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'x1',
});
const LAST = {
  candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 5, totalTokenCount: 14, cachedContentTokenCount: 4 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'x1',
};

describe('gemini: stream', () => {
  it('events as OpenAI chunks: role, content, finish, usage, done at the finish reason', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(Buffer.from(ev(part('The quick')) + ev(part(' brown fox')) + ev(LAST)));
    expect(items.map((i) => i.kind)).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'usage', 'done']);
    expect(items.slice(0, 4).map(delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'The quick' },
      { content: ' brown fox' },
      {},
    ]);
    expect(items.slice(0, 4).map((i) => i.kind === 'chunk' && i.content)).toEqual([false, true, true, false]);
    expect(finishOf(items[3]!)).toBe('stop');
    expect(items[4]).toMatchObject({
      usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14, prompt_tokens_details: { cached_tokens: 4 } },
    });
    expect(json(items[4]!)).toMatchObject({
      id: 'chatcmpl-gw9',
      model: 'gemini-2.5-flash',
      created: 1_760_000_000,
      choices: [],
    });
    expect(s.end()).toEqual([]);
  });

  it('a finish event without parts still finishes (MAX_TOKENS → length)', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(
      Buffer.from(
        ev(part('Hi')) +
          ev({
            candidates: [{ finishReason: 'MAX_TOKENS', index: 0 }],
            usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 1 },
          }),
      ),
    );
    expect(finishOf(items.at(-3)!)).toBe('length');
    expect(items.at(-1)).toEqual({ kind: 'done' });
  });

  it('a stream cut before its finish reason is not completed; a truncated event is malformed', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const whole = ev(part('The quick'));
    const items = s.push(Buffer.from(whole + whole.slice(0, 40) + '\r\n\r\n'));
    expect(items.map((i) => i.kind)).toEqual(['chunk', 'chunk', 'malformed']);
    expect(s.end()).toEqual([]);
  });

  it('an error event inside the stream is an error item; logprobs come through when asked for', () => {
    const s = new StreamItems(f.streamDecoder({ ...ctx, logprobs: true }));
    const lp = part('Hi', {
      logprobsResult: { chosenCandidates: [{ token: 'Hi', logProbability: -0.5 }], topCandidates: [] },
    });
    const items = s.push(
      Buffer.from(ev(lp) + ev({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })),
    );
    expect(items[1]).toMatchObject({ kind: 'chunk', text: 'Hi', logprobs: [-0.5] });
    expect(items[2]).toMatchObject({ kind: 'error', error: { kind: 'overloaded' } });
  });
});
