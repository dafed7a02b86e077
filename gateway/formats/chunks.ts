/**
 * OpenAI chat.completion.chunk texts for translated streams (Anthropic, Gemini): one writer per
 * attempt, stamped with the gateway's id, `created` and model. Texts are assembled from a
 * precomputed head, so a token costs one JSON.stringify of its text.
 */
import { CHARS_PER_TOKEN } from '../../core/tokens.js';
import type { DecodeContext, StreamItem } from '../domain/format.js';
import type { OpenAIUsage, TokenLogprob } from '../domain/openai.js';

/** One tool call as OpenAI streams it: the first piece names it, later pieces add arguments. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  arguments: string;
}

export class ChunkWriter {
  private readonly head: string;
  /** answer characters seen, for an estimated usage */
  chars = 0;

  constructor(private readonly ctx: DecodeContext) {
    this.head =
      `{"id":${JSON.stringify(ctx.id)},"object":"chat.completion.chunk","created":${ctx.created},` +
      `"model":${JSON.stringify(ctx.model)},"choices":`;
  }

  private choice(delta: string, finish: string | null, logprobs?: TokenLogprob[]): string {
    const lp = logprobs ? `{"content":${JSON.stringify(logprobs)}}` : 'null';
    return `${this.head}[{"index":0,"delta":${delta},"logprobs":${lp},"finish_reason":${JSON.stringify(finish)}}]}`;
  }

  /** the first chunk: the assistant role, no content */
  role(): StreamItem {
    return { kind: 'chunk', data: this.choice('{"role":"assistant","content":""}', null), content: false };
  }

  text(text: string, logprobs?: TokenLogprob[]): StreamItem {
    this.chars += text.length;
    const data = this.choice(`{"content":${JSON.stringify(text)}}`, null, logprobs);
    if (!logprobs) return { kind: 'chunk', data, content: true, text };
    return { kind: 'chunk', data, content: true, text, logprobs: logprobs.map((l) => l.logprob) };
  }

  toolCall(t: ToolCallDelta): StreamItem {
    this.chars += t.arguments.length;
    const fn = t.name === undefined ? { arguments: t.arguments } : { name: t.name, arguments: t.arguments };
    const call =
      t.id === undefined
        ? { index: t.index, function: fn }
        : { index: t.index, id: t.id, type: 'function', function: fn };
    return { kind: 'chunk', data: this.choice(JSON.stringify({ tool_calls: [call] }), null), content: true };
  }

  finish(reason: string): StreamItem {
    return { kind: 'chunk', data: this.choice('{}', reason), content: false, finish: reason };
  }

  /** the usage-only chunk (`choices: []`); estimated (prompt estimate, answer so far) when `usage` is undefined */
  usage(usage: OpenAIUsage | undefined): StreamItem {
    const u = usage ?? estimatedUsage(this.ctx, this.chars);
    return { kind: 'usage', usage: u, data: `${this.head}[],"usage":${JSON.stringify(u)}}` };
  }
}

/** Usage estimated with the lab's one token estimate (core/tokens.ts) when an upstream reported none. */
export function estimatedUsage(ctx: DecodeContext, answerChars: number): OpenAIUsage {
  const prompt = ctx.promptTokens ?? 0;
  const completion = Math.ceil(answerChars / CHARS_PER_TOKEN);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
