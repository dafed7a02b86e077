/**
 * Gemini's stream (`?alt=sse`: each event a whole GenerateContentResponse with the new text, the
 * running usageMetadata, and on the last a finishReason) as OpenAI chunks with the gateway's id,
 * model and `created`. Gemini sends no terminator: the answer is done at the finish reason.
 */
import type { DecodeContext, StreamDecoder, StreamItem, SseEvent } from '../domain/format.js';
import type { OpenAIUsage } from '../domain/openai.js';
import { ChunkWriter } from './chunks.js';
import { isObject, str, tryJson } from './errors.js';
import { finishReason, geminiError, geminiLogprobs, geminiUsage } from './gemini-wire.js';

export class GeminiStreamDecoder implements StreamDecoder {
  private readonly out: ChunkWriter;
  private usage: OpenAIUsage | undefined;
  private started = false;
  private done = false;
  private tools = 0;

  constructor(private readonly ctx: DecodeContext) {
    this.out = new ChunkWriter(ctx);
  }

  push(event: SseEvent): StreamItem[] {
    if (this.done) return [];
    const v = tryJson(event.data);
    if (!isObject(v)) return [{ kind: 'malformed', detail: `not a Gemini response: ${event.data.slice(0, 80)}` }];
    if (isObject(v.error)) return [{ kind: 'error', error: geminiError(undefined, v, event.data) }];
    const items: StreamItem[] = [];
    if (!this.started) {
      this.started = true;
      items.push(this.out.role());
    }
    this.usage = geminiUsage(v.usageMetadata) ?? this.usage;
    const c = Array.isArray(v.candidates) && isObject(v.candidates[0]) ? v.candidates[0] : undefined;
    if (!c) {
      // a prompt blocked by Google's filters ends the answer at once
      const blocked = isObject(v.promptFeedback) && typeof v.promptFeedback.blockReason === 'string';
      return blocked ? [...items, ...this.complete('content_filter')] : items;
    }
    let logprobs = this.ctx.logprobs ? geminiLogprobs(c) : undefined;
    const parts = isObject(c.content) && Array.isArray(c.content.parts) ? c.content.parts : [];
    for (const p of parts) {
      if (!isObject(p) || p.thought === true) continue;
      if (typeof p.text === 'string' && p.text) {
        items.push(this.out.text(p.text, logprobs));
        logprobs = undefined;
      } else if (isObject(p.functionCall)) {
        const i = this.tools++;
        const name = str(p.functionCall.name) ?? '';
        items.push(
          this.out.toolCall({ index: i, id: `call_${i}`, name, arguments: JSON.stringify(p.functionCall.args ?? {}) }),
        );
      }
    }
    const reason = str(c.finishReason);
    if (reason) items.push(...this.complete(finishReason(reason, this.tools > 0)));
    return items;
  }

  private complete(finish: string): StreamItem[] {
    this.done = true;
    return [this.out.finish(finish), this.out.usage(this.usage), { kind: 'done' }];
  }

  /** The body ended: without a finish reason the answer is cut, so nothing is added. */
  end(): StreamItem[] {
    return [];
  }
}
