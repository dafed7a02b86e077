import { describe, expect, it } from 'vitest';
import type { DecodeContext, StreamItem } from '../domain/format.js';
import { ChatRequestSchema } from '../domain/request.js';
import { anthropicFormat as f, DEFAULT_MAX_TOKENS } from './anthropic.js';
import { StreamItems } from './stream-items.js';

const ctx: DecodeContext = {
  id: 'chatcmpl-gw7',
  model: 'claude-sonnet-4',
  created: 1_750_000_000,
  logprobs: false,
  promptTokens: 30,
};
const req = (extra: Record<string, unknown>) => ChatRequestSchema.parse({ model: 'front', ...extra });
const ev = (name: string, data: string): string => `event: ${name}\ndata: ${data}\n\n`;
const json = (i: StreamItem): Record<string, unknown> => JSON.parse((i as { data: string }).data);

describe('anthropic: requests', () => {
  it('system prompt apart, same-role turns merged, tools as blocks, max_tokens defaulted', () => {
    const body = JSON.parse(
      f.encodeChat(
        req({
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'developer', content: 'Use metric units.' },
            { role: 'user', content: 'Weather in Paris?' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'And Lyon.' },
                { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
              ],
            },
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
              ],
            },
            { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
          ],
          tools: [
            {
              type: 'function',
              function: {
                name: 'weather',
                description: 'by city',
                parameters: { type: 'object', properties: { city: { type: 'string' } } },
              },
            },
          ],
          tool_choice: 'required',
          stop: 'END',
          temperature: 1.6,
          stream: true,
        }),
        { model: 'claude-sonnet-4' },
      ),
    );
    expect(body).toEqual({
      model: 'claude-sonnet-4',
      max_tokens: DEFAULT_MAX_TOKENS,
      system: 'Be brief.\n\nUse metric units.',
      stream: true,
      stop_sequences: ['END'],
      temperature: 1,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris?' },
            { type: 'text', text: 'And Lyon.' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' }] },
      ],
      tools: [
        {
          name: 'weather',
          description: 'by city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'any' },
    });
  });

  it('prefill becomes a trailing assistant turn without trailing whitespace (Anthropic refuses it)', () => {
    const body = JSON.parse(
      f.encodeChat(req({ messages: [{ role: 'user', content: 'Tell a story' }], max_tokens: 50 }), {
        model: 'c',
        prefill: 'Once upon a ',
      }),
    );
    expect(body.max_tokens).toBe(50);
    expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Once upon a' }] });
  });

  it('a request of system messages only is asked as the user (Anthropic needs one message)', () => {
    const body = JSON.parse(
      f.encodeChat(req({ messages: [{ role: 'system', content: 'Summarise: a b c' }] }), { model: 'c' }),
    );
    expect(body.system).toBeUndefined();
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Summarise: a b c' }] }]);
  });

  it('headers: x-api-key and anthropic-version; path /v1/messages', () => {
    expect(f.authHeaders('k')).toEqual({ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' });
    expect(f.chatPath('claude', true)).toBe('/v1/messages');
  });
});

describe('anthropic: answers', () => {
  it('a message as chat.completion: text, tool calls, finish reason, usage with cache reads', () => {
    const body = {
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_01A', name: 'weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 12, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000, output_tokens: 20 },
    };
    expect(f.decodeChat(body, ctx)).toEqual({
      id: 'chatcmpl-gw7',
      object: 'chat.completion',
      created: 1_750_000_000,
      model: 'claude-sonnet-4',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              { id: 'toolu_01A', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 2112,
        completion_tokens: 20,
        total_tokens: 2132,
        prompt_tokens_details: { cached_tokens: 2000 },
      },
    });
    expect(f.decodeChat({ type: 'error', error: {} }, ctx)).toBeUndefined();
  });

  it('stop reasons: max_tokens → length, refusal → content_filter, end_turn/stop_sequence → stop', () => {
    const finish = (stop_reason: string) =>
      f.decodeChat(
        {
          type: 'message',
          content: [{ type: 'text', text: 'x' }],
          stop_reason,
          usage: { input_tokens: 1, output_tokens: 1 },
        },
        ctx,
      )!.choices[0]!.finish_reason;
    expect(['max_tokens', 'refusal', 'end_turn', 'stop_sequence', 'model_context_window_exceeded'].map(finish)).toEqual(
      ['length', 'content_filter', 'stop', 'stop', 'length'],
    );
  });

  it('errors: overloaded 529, rate limit, prompt too long → context_length', () => {
    const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message } });
    expect(f.decodeError(529, body('overloaded_error', 'Overloaded'))).toEqual({
      kind: 'overloaded',
      body: { error: { message: 'Overloaded', type: 'server_error', code: 'overloaded_error', param: null } },
    });
    expect(
      f.decodeError(429, body('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'))
        .kind,
    ).toBe('rate_limit');
    expect(
      f.decodeError(400, body('invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum')),
    ).toMatchObject({
      kind: 'context_length',
      body: {
        error: {
          code: 'context_length_exceeded',
          type: 'invalid_request_error',
          message: 'prompt is too long: 208310 tokens > 200000 maximum',
        },
      },
    });
    expect(
      f.decodeError(400, body('invalid_request_error', 'messages: text content blocks must be non-empty')).kind,
    ).toBe('invalid');
    expect(f.decodeError(401, body('authentication_error', 'invalid x-api-key')).kind).toBe('auth');
  });
});

// the documented event sequence (text, then a tool call), with prompt caching and a ping
const STREAM =
  ev(
    'message_start',
    '{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,"output_tokens":2},"content":[],"stop_reason":null}}',
  ) +
  ev('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}') +
  ev('ping', '{"type": "ping"}') +
  ev('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}') +
  ev(
    'content_block_delta',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", let\'s check."}}',
  ) +
  ev('content_block_stop', '{"type":"content_block_stop","index":0}') +
  ev(
    'content_block_start',
    '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}',
  ) +
  ev(
    'content_block_delta',
    '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}',
  ) +
  ev(
    'content_block_delta',
    '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\": \\"San Fra"}}',
  ) +
  ev(
    'content_block_delta',
    '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ncisco, CA\\"}"}}',
  ) +
  ev('content_block_stop', '{"type":"content_block_stop","index":1}') +
  ev(
    'message_delta',
    '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}',
  ) +
  ev('message_stop', '{"type":"message_stop"}');

describe('anthropic: stream', () => {
  it('the full event sequence as OpenAI chunks, chunk by chunk, with the gateway’s identity', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(Buffer.from(STREAM));
    expect(s.end()).toEqual([]);
    expect(items.map((i) => i.kind)).toEqual([
      'chunk',
      'chunk',
      'chunk',
      'chunk',
      'chunk',
      'chunk',
      'chunk',
      'usage',
      'done',
    ]);
    const chunks = items.slice(0, 7).map(json);
    for (const c of [...chunks, json(items[7]!)])
      expect(c).toMatchObject({
        id: 'chatcmpl-gw7',
        object: 'chat.completion.chunk',
        created: 1_750_000_000,
        model: 'claude-sonnet-4',
      });
    expect(chunks.map((c) => (c.choices as Array<{ delta: unknown }>)[0]!.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Okay' },
      { content: ", let's check." },
      {
        tool_calls: [
          {
            index: 0,
            id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"location": "San Fra' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ncisco, CA"}' } }] },
      {},
    ]);
    expect(items.slice(0, 7).map((i) => i.kind === 'chunk' && i.content)).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(items[1]).toMatchObject({ text: 'Okay' });
    expect((chunks[6]!.choices as Array<{ finish_reason: string }>)[0]!.finish_reason).toBe('tool_calls');
    // cache reads kept: prompt = 472 + 1800, cached 1800 (LiteLLM lost these when streaming)
    expect(items[7]).toMatchObject({
      usage: {
        prompt_tokens: 2272,
        completion_tokens: 89,
        total_tokens: 2361,
        prompt_tokens_details: { cached_tokens: 1800 },
      },
    });
    expect(json(items[7]!).choices).toEqual([]);
  });

  it('message_delta with cumulative input counts (newer API versions) overrides message_start', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(
      Buffer.from(
        ev('message_start', '{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}') +
          ev(
            'message_delta',
            '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":10,"cache_read_input_tokens":50,"output_tokens":3}}',
          ),
      ),
    );
    expect(items.find((i) => i.kind === 'usage')).toMatchObject({
      usage: { prompt_tokens: 60, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 50 } },
    });
  });

  it('an error event (overloaded mid-stream, HTTP 200) is an error item, classified overloaded', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(
      Buffer.from(
        STREAM.split('event: content_block_stop')[0] +
          ev('error', '{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}}'),
      ),
    );
    expect(items.at(-1)).toEqual({
      kind: 'error',
      error: {
        kind: 'overloaded',
        body: { error: { message: 'Overloaded', type: 'server_error', code: 'overloaded_error', param: null } },
      },
    });
    expect(s.end()).toEqual([]);
  });

  it('a malformed event is reported; a stream that ends before message_delta is not completed', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(
      Buffer.from(
        STREAM.split('event: ping')[0] +
          ev('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_'),
      ),
    );
    expect(items.at(-1)).toMatchObject({ kind: 'malformed' });
    expect(s.end()).toEqual([]);
  });

  it('message_stop without message_delta still ends with finish, usage and done', () => {
    const s = new StreamItems(f.streamDecoder(ctx));
    const items = s.push(
      Buffer.from(STREAM.split('event: message_delta')[0] + ev('message_stop', '{"type":"message_stop"}')),
    );
    expect(items.slice(-3).map((i) => i.kind)).toEqual(['chunk', 'usage', 'done']);
  });
});
