/**
 * A stream cut mid-answer may be continued on a fallback that declares `prefill: true`: the
 * answer so far is sent as an assistant prefix and the fallback's continuation is relayed on.
 * Anything but a primed stream from it (including its rejection of the prefill) ends the
 * client's stream with the gateway's own error event for the original cut.
 */
import type { Target } from '../../domain/types.js';
import type { Live } from '../../relay/stream.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';
import { tryTarget } from './failover.js';

/** A fallback that can continue the answer from where it broke (assistant prefill), primed. */
export async function continueOnFallback(ctx: RequestContext, deps: PipelineDeps, broken: Target, text: string): Promise<Live | undefined> {
  const tried = new Set(ctx.attempts.map((a) => a.target.key));
  const now = performance.now();
  const target = ctx.candidates.find(
    (t) => t !== broken && t.upstream.prefill && !tried.has(t.key) && !deps.cooldowns.isCooling(t.key, now) && t.breaker.tryAcquire(now),
  );
  if (!target || ctx.attempts.length >= deps.retry.maxAttempts || !deps.budget.tryRetry(now)) {
    target?.breaker.release();
    return undefined;
  }
  const { run, leave } = await tryTarget(ctx, deps, target, ctx.attempts.length + 1, { prefill: text });
  // anything but a primed stream — including the fallback rejecting the prefill — ends in our own error event
  if (run.answer?.kind !== 'stream') return undefined;
  return { answer: run.answer, target, leave };
}
