/**
 * pace: before each attempt, the target's pacer (its upstream's known RPM/TPM) says whether the
 * request goes now, waits in that upstream's priority queue, or moves on to the next candidate.
 *
 * - Below the queueing threshold a request goes at once (P1/P2 only when nobody as urgent waits).
 * - P0 is never queued: past the ceiling it moves to a later candidate with headroom, and with
 *   none it is sent anyway (`forced`).
 * - A level with `spill` (P1 by default) moves to a later candidate with headroom before queueing;
 *   one without (P2) waits for its preferred target.
 * - A level's queue at `maxDepth` moves the request to the next candidate; with none left it is
 *   answered 503 GW_QUEUE_FULL. A request whose level's `queueTimeout` passes (counted over all
 *   its waits) is answered 503 GW_QUEUE_TIMEOUT. Both carry Retry-After (the queue's drain time).
 */
import { StormlabError } from '../../../core/errors.js';
import type { Target } from '../../domain/types.js';
import type { Level, QueuedLevel } from '../../pacing/pacer.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';

export type PaceVerdict = 'go' | 'skip';

const LEVEL_NAMES = ['P0', 'P1', 'P2'] as const;

function tokensOf(ctx: RequestContext, deps: PipelineDeps): number {
  return ctx.promptTokens + (ctx.maxTokens ?? deps.pacing.config.assumedOutputTokens);
}

/** A later candidate that could take the request now: usable, and under its pacer's threshold. */
function headroomLater(deps: PipelineDeps, later: readonly Target[], level: Level, tokens: number, now: number): boolean {
  return later.some((t) => {
    if (deps.cooldowns.isCooling(t.key, now) || t.breaker.waitMs(now) > 0) return false;
    const p = deps.pacing.for(t);
    return p === undefined || p.pacer.hasHeadroom(level, tokens, now);
  });
}

/** Pace the attempt on `queue[i]`: 'go' (sent now or after its wait) or 'skip' (to the next candidate). */
export async function pace(
  ctx: RequestContext,
  deps: PipelineDeps,
  queue: readonly Target[],
  i: number,
): Promise<PaceVerdict> {
  const target = queue[i] as Target;
  const paced = deps.pacing.for(target);
  if (!paced) return 'go';
  const level = Math.min(2, Math.max(0, ctx.priority)) as Level;
  const tokens = tokensOf(ctx, deps);
  const now = performance.now();
  if (paced.pacer.tryNow(level, tokens, now)) {
    paced.count(level, 'direct');
    return 'go';
  }
  const later = queue.slice(i + 1);
  // a candidate passed over is counted once per pacer: the next one of the same limit group is no better
  const next = queue[i + 1];
  const passOver = (outcome: 'spilled' | 'full'): void => {
    if (next === undefined || deps.pacing.for(next) !== paced) paced.count(level, outcome);
  };
  if (level === 0) {
    if (headroomLater(deps, later, level, tokens, now)) {
      passOver('spilled');
      return 'skip';
    }
    paced.pacer.force(tokens, now);
    paced.count(level, 'forced');
    return 'go';
  }
  const cfg = deps.pacing.config.levels[LEVEL_NAMES[level] as 'P1' | 'P2'];
  if (cfg.spill && headroomLater(deps, later, level, tokens, now)) {
    passOver('spilled');
    return 'skip';
  }
  const where = `${paced.name} (${paced.model})`;
  const name = LEVEL_NAMES[level];
  if (paced.pacer.depth(level) >= cfg.maxDepth) {
    passOver('full');
    if (later.length > 0) return 'skip';
    ctx.retryAfterMs = Math.max(1000, paced.pacer.backlogMs(level as QueuedLevel, now));
    throw new StormlabError(
      'GW_QUEUE_FULL',
      `the ${name} queue of ${where} is full (${cfg.maxDepth} waiting, pacing.levels.${name}.maxDepth) ` +
        'and no other target has room',
    );
  }
  const left = Math.min(cfg.queueTimeout - ctx.queueMs, ctx.remainingMs(now));
  const r = await paced.wait(level as QueuedLevel, tokens, left, ctx.signal);
  ctx.queueMs += r.waitedMs;
  if (r.kind === 'admitted') return 'go';
  if (r.kind === 'aborted') return 'skip'; // the failover loop sees the signal and ends the request
  ctx.retryAfterMs = Math.max(1000, paced.pacer.backlogMs(level as QueuedLevel, performance.now()));
  const timeout = cfg.queueTimeout / 1000;
  throw new StormlabError(
    'GW_QUEUE_TIMEOUT',
    `waited ${Math.round(ctx.queueMs)} ms in the ${name} queue of ${where}, which is paced below its known ` +
      `rate limit; the ${name} queue timeout is ${timeout} s (pacing.levels.${name}.queueTimeout)`,
  );
}
