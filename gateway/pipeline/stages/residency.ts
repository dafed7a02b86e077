/**
 * residency: a pinned tenant's request sees only the route's lawful targets (admission/residency.ts).
 * A route with none is refused (403 GW_RESIDENCY_NO_TARGET). When every lawful target is down
 * (breaker open, cooling down, or every attempt failed) the tenant's `whenDown` decides: `error`
 * answers 503 GW_RESIDENCY_UNAVAILABLE with Retry-After at once; `wait` holds the request up to
 * `maxWait` (and the deadline) for one to come back. Never does it try another region.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isStormlabError, StormlabError } from '../../../core/errors.js';
import type { Committed } from '../../domain/answer.js';
import type { Pin } from '../../admission/residency.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';
import { chooseCandidates } from './candidates.js';
import { failover } from './failover.js';

/** Between passes of a waiting request over lawful targets that failed without opening a breaker. */
const POLL_MS = 500;
const DOWN = new Set(['GW_UPSTREAM_EXHAUSTED', 'GW_UPSTREAM_UNAVAILABLE', 'GW_UPSTREAM_TIMEOUT']);

function waitUntil(ctx: RequestContext, pin: Pin): number {
  const now = performance.now();
  return pin.residency.whenDown === 'wait' ? now + Math.min(pin.residency.maxWait, ctx.remainingMs(now)) : now;
}

function unavailable(ctx: RequestContext, deps: PipelineDeps, pin: Pin, cause?: string): StormlabError {
  const now = performance.now();
  const waits = ctx.route.targets.map((t) => deps.waitMs(t, now)).filter((w) => w > 0);
  ctx.retryAfterMs = Math.max(1000, waits.length > 0 ? Math.min(...waits) : (ctx.retryAfterMs ?? 1000));
  const waited = pin.residency.whenDown === 'wait' ? `, after waiting up to ${pin.residency.maxWait}ms` : '';
  return new StormlabError(
    'GW_RESIDENCY_UNAVAILABLE',
    `no target of "${ctx.route.model}" in ${pin.where} (tenant "${pin.tenant}") is up${waited}; ` +
      `this tenant's requests are never sent to another region${cause ? ` (${cause})` : ''}`,
  );
}

/** Hold until a lawful target may be tried, or fail with the residency error once that is past `until`. */
async function awaitLawfulTarget(ctx: RequestContext, deps: PipelineDeps, pin: Pin, until: number): Promise<void> {
  for (;;) {
    const now = performance.now();
    const waits = ctx.route.targets.map((t) => deps.waitMs(t, now));
    if (waits.some((w) => w === 0)) return;
    const next = Math.min(...waits);
    const states = ctx.route.targets.map((t) => {
      const why = t.breaker.state === 'closed' ? 'cooling down' : `circuit ${t.breaker.state}`;
      return `${t.key}: ${why}`;
    });
    if (now + next > until) throw unavailable(ctx, deps, pin, states.join('; '));
    await sleep(next, undefined, { signal: ctx.signal }).catch(() => undefined);
    if (ctx.signal.aborted) throw unavailable(ctx, deps, pin, 'the request ended while waiting');
  }
}

/** Stage (after select and budgets): the route as the pinned tenant may use it. */
export function pinToResidency(ctx: RequestContext, deps: PipelineDeps): void | Promise<void> {
  const pin = deps.residency.pinOf(ctx.principal.tenant);
  if (!pin) return;
  ctx.pin = pin;
  ctx.pinWaitUntil = waitUntil(ctx, pin);
  const full = ctx.route;
  ctx.route = deps.residency.view(pin, full);
  if (ctx.route.targets.length === 0) {
    const regions = full.targets.map((t) => t.upstream.region).join(', ');
    const message = `"${full.model}" has no target in ${pin.where}, where tenant "${pin.tenant}" is pinned`;
    throw new StormlabError('GW_RESIDENCY_NO_TARGET', message, [
      { path: 'model', expected: `a model routed to ${pin.where}`, received: `${full.model} (served from ${regions})` },
    ]);
  }
  return awaitLawfulTarget(ctx, deps, pin, ctx.pinWaitUntil);
}

/** failover, for a pinned request: lawful targets only, passes repeated while `whenDown: wait` allows. */
export async function failoverPinned(ctx: RequestContext, deps: PipelineDeps): Promise<Committed> {
  const pin = ctx.pin;
  if (!pin) return failover(ctx, deps);
  const until = ctx.pinWaitUntil;
  for (let pass = 0; ; pass++) {
    try {
      if (pass > 0) {
        await awaitLawfulTarget(ctx, deps, pin, until);
        chooseCandidates(ctx, deps);
      }
      return await failover(ctx, deps);
    } catch (e) {
      if (!isStormlabError(e) || !DOWN.has(e.code) || ctx.abortCause !== undefined) throw e;
      const left = until - performance.now();
      if (left <= 0) throw unavailable(ctx, deps, pin, e.message);
      await sleep(Math.min(left, POLL_MS), undefined, { signal: ctx.signal }).catch(() => undefined);
      if (ctx.signal.aborted) throw e;
    }
  }
}
