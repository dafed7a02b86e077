/**
 * Anthropic's stream (`message_start`, `content_block_start`/`_delta`/`_stop`, `message_delta`
 * with the stop reason and final usage, `message_stop`, `ping`, `error`) as OpenAI chunks with
 * the gateway's id, model and `created`. The answer is done at `message_delta`: nothing but
 * `message_stop` follows it.
 */
import type { DecodeContext, StreamDecoder, StreamItem, SseEvent } from '../domain/format.js';
import type { OpenAIUsage } from '../domain/openai.js';
import { anthropicError, anthropicUsage, finishReason } from './anthropic-wire.js';
import { ChunkWriter } from './chunks.js';
import { isObject, num, str, tryJson } from './errors.js';

export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly out: ChunkWriter;
  private usage: OpenAIUsage | undefined;
  private finish: string | undefined;
  private done = false;
  /** content block index → OpenAI tool call index */
  private readonly tools = new Map<number, number>();

  constructor(ctx: DecodeContext) {
    this.out = new ChunkWriter(ctx);
  }

  push(event: SseEvent): StreamItem[] {
    if (this.done) return [];
    const v = tryJson(event.data);
    if (!isObject(v) || typeof v.type !== 'string')
      return [{ kind: 'malformed', detail: `not an Anthropic event: ${event.data.slice(0, 80)}` }];
    switch (v.type) {
      case 'message_start':
        this.usage = anthropicUsage(isObject(v.message) ? v.message.usage : undefined);
        return [this.out.role()];
      case 'content_block_start':
        return this.blockStart(num(v.index) ?? 0, v.content_block);
      case 'content_block_delta':
        return this.blockDelta(num(v.index) ?? 0, v.delta);
      case 'message_delta':
        this.usage = anthropicUsage(v.usage, this.usage);
        this.finish = finishReason(isObject(v.delta) ? v.delta.stop_reason : undefined);
        return this.complete();
      case 'message_stop':
        return this.complete();
      case 'error':
        return [{ kind: 'error', error: anthropicError(undefined, v, event.data) }];
      default:
        // ping, content_block_stop, and event types Anthropic may add
        return [];
    }
  }

  private blockStart(index: number, block: unknown): StreamItem[] {
    if (!isObject(block)) return [];
    if (block.type === 'tool_use') {
      const i = this.tools.size;
      this.tools.set(index, i);
      return [
        this.out.toolCall({ index: i, id: str(block.id) ?? `call_${i}`, name: str(block.name) ?? '', arguments: '' }),
      ];
    }
    return block.type === 'text' && typeof block.text === 'string' && block.text ? [this.out.text(block.text)] : [];
  }

  private blockDelta(index: number, delta: unknown): StreamItem[] {
    if (!isObject(delta)) return [];
    if (delta.type === 'text_delta') {
      const text = str(delta.text);
      return text ? [this.out.text(text)] : [];
    }
    if (delta.type === 'input_json_delta') {
      const i = this.tools.get(index);
      const json = str(delta.partial_json);
      if (i === undefined)
        return [{ kind: 'malformed', detail: `input_json_delta for block ${index}, which is not a tool_use block` }];
      return json ? [this.out.toolCall({ index: i, arguments: json })] : [];
    }
    // thinking, signature and citations deltas carry no answer text
    return [];
  }

  /** message_delta (or a message_stop without one): the finish chunk, usage and done. */
  private complete(): StreamItem[] {
    if (this.done) return [];
    this.done = true;
    return [this.out.finish(this.finish ?? 'stop'), this.out.usage(this.usage), { kind: 'done' }];
  }

  /** The body ended: a stream without message_delta is cut, so nothing is added. */
  end(): StreamItem[] {
    return [];
  }
}
