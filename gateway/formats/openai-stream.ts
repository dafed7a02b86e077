/**
 * The OpenAI stream decoder, on the gateway's hot path: each chunk goes out as the upstream's own
 * text, never re-serialised. One scan (openai-scan.ts) checks a chunk's JSON framing and finds
 * its content, finish reason and usage; JSON.parse runs only for the usage chunk, an error,
 * logprobs the client asked for, or a shape the scan does not expect.
 */
import type { DecodeContext, StreamDecoder, StreamItem, SseEvent, UpstreamError } from '../domain/format.js';
import type { OpenAIUsage } from '../domain/openai.js';
import { estimatedUsage } from './chunks.js';
import { isObject, num, str, tryJson, upstreamError } from './errors.js';
import { scanChunk, type ChunkScan } from './openai-scan.js';
import { normaliseUsage } from './openai-usage.js';

const STREAM_ERROR_STATUS: Record<string, number> = {
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  overloaded: 503,
  overloaded_error: 503,
  server_error: 500,
  invalid_request_error: 400,
};

/** An error an OpenAI-compatible upstream reports inside its stream (`data: {"error":{…}}`). */
function streamError(e: Record<string, unknown>): UpstreamError {
  const code = str(e.code) ?? null;
  const status = num(e.code) ?? STREAM_ERROR_STATUS[code ?? ''] ?? STREAM_ERROR_STATUS[str(e.type) ?? ''] ?? 500;
  return upstreamError({
    status,
    message: str(e.message) ?? 'upstream error in stream',
    code: code ?? str(e.type) ?? null,
  });
}

export class OpenAIStreamDecoder implements StreamDecoder {
  private finished = false;
  private usage: OpenAIUsage | undefined;
  private done = false;
  private chars = 0;
  /** the first chunk, whose id and model an estimated usage chunk repeats */
  private first: string | undefined;

  constructor(private readonly ctx: DecodeContext) {}

  push(event: SseEvent): StreamItem[] {
    if (this.done) return [];
    const d = event.data;
    if (d === '[DONE]') return this.complete();
    const scan = scanChunk(d);
    if (!scan.ok) return [{ kind: 'malformed', detail: `event is not JSON: ${d.slice(0, 80)}` }];
    // no delta: a usage-only chunk (`choices: []`), an error, or a shape the scan does not know
    if (!scan.delta || event.event === 'error') return this.slow(d);
    this.first ??= d;
    const items: StreamItem[] = [this.chunk(d, scan)];
    if (scan.finish) this.finished = true;
    if (scan.usage) {
      // usage riding on a choice chunk (vLLM, some routers): counted once, as a usage-only chunk
      const parsed = JSON.parse(d) as Record<string, unknown>;
      const usage = normaliseUsage(parsed.usage);
      if (usage) {
        this.usage = usage;
        const chunk = usageChunk(parsed, usage);
        items.push({ kind: 'usage', usage, data: JSON.stringify(chunk), chunk });
      }
    }
    if (this.finished && this.usage) items.push(this.markDone());
    return items;
  }

  private chunk(d: string, scan: ChunkScan): StreamItem {
    let text: string | undefined;
    if (scan.contentEnd > scan.contentStart) {
      text = scan.contentEscaped
        ? (JSON.parse(d.slice(scan.contentStart - 1, scan.contentEnd + 1)) as string)
        : d.slice(scan.contentStart, scan.contentEnd);
      this.chars += text.length;
    }
    const content = text !== undefined || scan.tool || scan.refusal;
    // a finish reason is a plain word (stop, length, tool_calls …); an escaped one is read as JSON
    const finish = scan.finish ? finishText(d, scan.finishStart, scan.finishEnd) : undefined;
    const logprobs = content && this.ctx.logprobs && scan.logprobs ? chunkLogprobs(d) : undefined;
    if (logprobs === undefined && finish === undefined) {
      return text ? { kind: 'chunk', data: d, content, text } : { kind: 'chunk', data: d, content };
    }
    return {
      kind: 'chunk',
      data: d,
      content,
      ...(text ? { text } : {}),
      ...(logprobs ? { logprobs } : {}),
      ...(finish === undefined ? {} : { finish }),
    };
  }

  /** An error object, or a chunk shaped other than the scan expects. */
  private slow(d: string): StreamItem[] {
    const v = tryJson(d);
    if (isObject(v) && isObject(v.error)) return [{ kind: 'error', error: streamError(v.error) }];
    if (!isObject(v) || !Array.isArray(v.choices)) {
      return [{ kind: 'malformed', detail: `event is not a chat.completion.chunk: ${d.slice(0, 80)}` }];
    }
    const usage = normaliseUsage(v.usage);
    const items: StreamItem[] = [];
    const finished = v.choices.find((c) => isObject(c) && typeof c.finish_reason === 'string') as
      | { finish_reason: string }
      | undefined;
    // choices without a delta: Azure's prompt_filter_results chunk, or a finish reason sent bare
    if (v.choices.length > 0 || !usage) {
      items.push(finished ? { kind: 'chunk', data: d, content: false, finish: finished.finish_reason } : { kind: 'chunk', data: d, content: false });
    }
    if (finished) this.finished = true;
    if (usage) {
      this.first ??= d;
      this.usage = usage;
      if (v.choices.length === 0) items.push({ kind: 'usage', usage, data: d, chunk: v });
      else {
        const chunk = usageChunk(v, usage);
        items.push({ kind: 'usage', usage, data: JSON.stringify(chunk), chunk });
      }
    }
    if (this.finished && this.usage) items.push(this.markDone());
    return items;
  }

  private markDone(): StreamItem {
    this.done = true;
    return { kind: 'done' };
  }

  /** `[DONE]`, or the body ended after a finish reason: usage (estimated if none came) and done. */
  private complete(): StreamItem[] {
    if (this.done) return [];
    if (this.usage) return [this.markDone()];
    const usage = estimatedUsage(this.ctx, this.chars);
    const head = this.first ? tryJson(this.first) : undefined;
    const chunk = usageChunk(
      isObject(head) ? head : { id: this.ctx.id, created: this.ctx.created, model: this.ctx.model },
      usage,
    );
    this.usage = usage;
    return [{ kind: 'usage', usage, data: JSON.stringify(chunk), chunk }, this.markDone()];
  }

  end(): StreamItem[] {
    return this.finished && !this.done ? this.complete() : [];
  }
}

/** A usage-only chunk with the identity of `like` (an upstream chunk). */
function usageChunk(like: Record<string, unknown>, usage: OpenAIUsage): Record<string, unknown> {
  return { id: like.id, object: 'chat.completion.chunk', created: like.created, model: like.model, choices: [], usage };
}

/** The finish reason between `start` and `end` (its quotes excluded). */
function finishText(d: string, start: number, end: number): string {
  const raw = d.slice(start, end);
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

function chunkLogprobs(d: string): number[] | undefined {
  const v = JSON.parse(d) as {
    choices?: Array<{ logprobs?: { content?: Array<{ logprob?: unknown }> | null } | null }>;
  };
  const content = v.choices?.[0]?.logprobs?.content;
  if (!Array.isArray(content)) return undefined;
  return content.map((t) => (typeof t.logprob === 'number' ? t.logprob : Number.NaN));
}
