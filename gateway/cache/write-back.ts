/**
 * settle's cache write: only a complete, successful answer of a request that missed — a JSON
 * completion, or a stream that ended with its `[DONE]` (never one cut, ended with an error event
 * or stitched from a continuation). A stream's text is folded into a completion to replay.
 */
import type { ChatCompletion } from '../domain/openai.js';
import type { Target } from '../domain/types.js';
import type { RequestContext } from '../pipeline/context.js';
import type { CacheRuntime } from './build.js';
import { capOf } from './response-cache.js';

const EXACT = { kind: 'exact' } as const;
const SEMANTIC = { kind: 'semantic' } as const;

export function writeBack(ctx: RequestContext, served: Target, rt: CacheRuntime): void {
  const o = ctx.outcome;
  const state = ctx.cache;
  if (!state || state.outcome !== 'miss' || o.status !== 200 || o.truncated || o.continued || ctx.aborted) return;
  const completion = o.completion ?? (o.streamed ? fromStream(ctx.id, served.model, o.streamed, o.usage) : undefined);
  if (!completion) return;
  rt.cache.write(state, { requestId: ctx.id, completion, served, costUsd: o.costUsd, maxTokens: capOf(ctx.request) });
  const sizes = rt.cache.sizes();
  rt.metrics.entries.set(EXACT, sizes.exact);
  rt.metrics.entries.set(SEMANTIC, sizes.semantic);
}

function fromStream(id: string, model: string, s: { text: string; finishReason: string | null }, usage: ChatCompletion['usage']): ChatCompletion {
  const c: ChatCompletion = {
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: s.text }, finish_reason: s.finishReason ?? 'stop' }],
  };
  if (usage) c.usage = { ...usage };
  return c;
}
