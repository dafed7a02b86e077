/**
 * One iteration: a single request, or a conversation whose turns go one after another — turn
 * k+1 is due its think time after turn k's answer, carries that answer in its history, and its
 * latency counts from that due time. A conversation ends early after a failed turn (the user gives
 * up) or when the run stops starting requests (`starts`, default the run's signal).
 */
import type { Spec } from '../scenarios/spec-schema.js';
import { hasNextTurn, intentOfRequestId, nextTurn, type PlannedRequest } from '../scenarios/workload.js';
import { now, waitUntil } from './clock.js';
import { send, type SendContext, type SendResult } from './send.js';

/** Called once per finished request with its due time (monotonic ms). */
export type OnResult = (r: SendResult, dueMs: number) => void;

export async function runIteration(
  spec: Spec,
  ctx: SendContext,
  first: PlannedRequest,
  dueMs: number,
  onResult: OnResult,
  starts: AbortSignal = ctx.signal,
): Promise<void> {
  let plan = first;
  let due = dueMs;
  for (;;) {
    const r = await send(ctx, plan, due);
    const source = r.outcome.who?.cacheSource;
    if (source && plan.intent) r.outcome.cacheSourceIntent = intentOfRequestId(spec, source);
    onResult(r, due);
    if (r.interrupted || r.outcome.failure || !hasNextTurn(plan) || !plan.conversation) return;
    due = now() + plan.conversation.thinkTimeMs;
    await waitUntil(due, starts);
    if (starts.aborted) return;
    plan = nextTurn(spec, plan, r.answer);
  }
}
