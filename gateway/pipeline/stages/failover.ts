/**
 * failover: walk the candidates, one attempt at a time (breaker → pacing → send → prime), until one
 * answer is committed. After a failure the retry policy (resilience/decide.ts) says whether to
 * retry the same target (a one-off 5xx; a 429 whose Retry-After is sooner than any fallback),
 * move on (and cool a rate-limited target down), try a larger-context target, or stop. One
 * attempt counter spans the whole request: failing over does not restart the retry cycle.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AttemptOutcome, AttemptResult, Target } from '../../domain/types.js';
import { backoffMs } from '../../resilience/backoff.js';
import { breakerVerdict } from '../../resilience/breaker-outcome.js';
import { decide, type FailedOutcome, type StopReason } from '../../resilience/decide.js';
import { sendAttempt, type AttemptOptions } from '../../upstream/attempt.js';
import { confidenceOptions, confident } from './confidence.js';
import type { Committed } from '../../domain/answer.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';
import { exhaustedError } from '../exhausted.js';
import { pace } from './pace.js';

/** Tell the target's breaker: failures count against it; 429s and the client leaving count neither way. */
function recordBreaker(target: Target, outcome: AttemptOutcome, now: number): void {
  const ok = breakerVerdict(outcome);
  if (ok === undefined) target.breaker.release();
  else target.breaker.record(ok, now);
}

/** Count a target as busy with this request (least-busy reads it) until it is released. */
export function occupy(ctx: RequestContext, target: Target): () => void {
  const tokens = ctx.promptTokens + (ctx.maxTokens ?? 0);
  target.stats.inFlight += 1;
  target.stats.inFlightTokens += tokens;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    target.stats.inFlight -= 1;
    target.stats.inFlightTokens -= tokens;
  };
}

/** One attempt on one target, with the breaker told and the attempt counted. */
export async function tryTarget(ctx: RequestContext, deps: PipelineDeps, target: Target, n: number, opts?: AttemptOptions) {
  const leave = occupy(ctx, target);
  const run = await sendAttempt(ctx, target, n, opts);
  ctx.attempts.push(run.result);
  deps.metrics.attempts.inc({ upstream: target.upstream.id, model: target.model, outcome: run.result.outcome });
  const now = performance.now();
  recordBreaker(target, run.result.outcome, now);
  deps.metrics.health.set({ upstream: target.upstream.id, model: target.model }, target.breaker.health(now));
  if (!run.answer) leave();
  return { run, leave };
}

const STOP_REASONS: Record<StopReason, string> = {
  'not-retryable': 'the upstream answered a client error',
  'client-gone': 'the client went away',
  'attempts-exhausted': 'retry.maxAttempts spent',
  deadline: 'no time left before timeouts.totalMs',
  'retry-budget': 'the gateway retry budget is spent',
  'same-target-limit': 'retry.sameTargetRetries spent and no other target',
  'no-fallback': 'no other target to fail over to',
};

export async function failover(ctx: RequestContext, deps: PipelineDeps): Promise<Committed> {
  const { retry } = deps;
  const opts = confidenceOptions(ctx.route);
  let queue: readonly Target[] = ctx.candidates;
  let inContextFallback = false;
  let i = 0;
  let n = 0;
  let same = 0;
  let stopReason: string | undefined;
  // a failover away from a 429 moves load off a limited target rather than adding to a failing one:
  // it does not draw on the retry budget (the attempt cap still bounds it)
  let shedding = false;
  while (i < queue.length && !ctx.aborted) {
    const target = queue[i] as Target;
    const now = performance.now();
    // pacing (stages/pace.ts) may hold the request in the target's queue, or move it on
    const usable = !deps.cooldowns.isCooling(target.key, now) && target.breaker.waitMs(now) === 0;
    if (!usable || (await pace(ctx, deps, queue, i)) === 'skip' || !target.breaker.tryAcquire(performance.now())) {
      ctx.skipped.push(target);
      i += 1;
      same = 0;
      continue;
    }
    if (n > 0 && !shedding && !deps.budget.tryRetry(now)) {
      target.breaker.release();
      stopReason = 'the gateway retry budget is spent';
      break;
    }
    n += 1;
    shedding = false;
    const { run, leave } = await tryTarget(ctx, deps, target, n, opts);
    if (run.answer) {
      const next = queue[i + 1];
      if (next === undefined || confident(ctx.route, run.answer)) return { answer: run.answer, target, leave };
      // a cascade's answer too unsure of itself: escalate to the next tier, invisibly
      if (run.answer.kind === 'stream') run.answer.release();
      leave();
      ctx.escalations += 1;
      deps.metrics.escalations.inc({ model: ctx.route.model, from: target.model, to: next.model });
      i += 1;
      same = 0;
      continue;
    }
    if (ctx.aborted || n >= retry.maxAttempts) break;

    const r: AttemptResult = run.result;
    const next = queue[i + 1];
    const after = performance.now();
    const d = decide({
      outcome: r.outcome as FailedOutcome,
      retryAfterMs: r.retryAfterMs,
      sameTargetRetries: same,
      attemptsLeft: retry.maxAttempts - n,
      remainingMs: ctx.remainingMs(after),
      fallbackAvailable: next !== undefined || (!inContextFallback && ctx.route.contextFallback.length > 0 && r.outcome === 'context_length'),
      fallbackExpectedMs: next?.stats.ttftEmaMs,
      targetExpectedMs: target.stats.ttftEmaMs,
      budgetAllows: r.outcome === '429' || deps.budget.canRetry(after),
      backoffMs: backoffMs(same, retry.backoff, deps.random),
    }, retry);
    if (d.action === 'stop') {
      if (d.reason === 'retry-budget') deps.metrics.retryBudgetExhausted.inc();
      stopReason = STOP_REASONS[d.reason];
      break;
    }
    if (d.action === 'retry-same' && r.outcome === '429' && d.delayMs > retry.maxRetryWaitMs) {
      // not worth holding the client: answer 429 now with the upstream's Retry-After, and cool the target
      deps.cooldowns.coolDown(target.key, d.delayMs, after);
      stopReason = `Retry-After ${Math.ceil(d.delayMs / 1000)}s is longer than retry.maxRetryWaitMs`;
      break;
    }
    if (d.action === 'retry-same') {
      same += 1;
      try {
        await sleep(d.delayMs, undefined, { signal: ctx.signal });
      } catch {
        break; // the client left or the deadline passed while waiting
      }
      continue;
    }
    same = 0;
    if (d.action === 'larger-context') {
      if (inContextFallback || ctx.route.contextFallback.length === 0) break; // the provider's own 400 goes back as is
      inContextFallback = true;
      queue = ctx.route.contextFallback;
      i = 0;
      continue;
    }
    if (d.coolDownMs !== undefined) deps.cooldowns.coolDown(target.key, d.coolDownMs, after);
    shedding = r.outcome === '429';
    if (next) deps.metrics.failovers.inc({ from: target.upstream.id, to: next.upstream.id, reason: r.outcome });
    i += 1;
  }
  throw exhaustedError(ctx, deps, stopReason);
}
