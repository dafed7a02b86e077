/**
 * settle: runs exactly once per request, when the response is over (sent, failed, or the
 * client left): bill a stream cut before its usage arrived for what was generated, feed the
 * serving target's TTFT average, correct token rate limits to the real usage, bill the spend
 * (budgets, attribution), write a complete answer to the cache, release the target's in-flight
 * count, count the request, log one line.
 */
import { CHARS_PER_TOKEN } from '../../core/tokens.js';
import type { RequestContext } from './context.js';
import type { PipelineDeps } from './deps.js';
import { writeBack } from '../cache/write-back.js';

/** Weight of the newest observation in a target's TTFT moving average. */
const EMA_ALPHA = 0.2;

export interface SettleHooks {
  /** the serving target's in-flight count, released once */
  leave?(): void;
  /** billing in the shared store failed (logged by the caller) */
  billingFailed?(e: unknown): void;
  /** the one log line (telemetry/log.ts) */
  log?(ctx: RequestContext, durationMs: number): void;
}

/**
 * Run a billing step in the shared store: its failure — thrown at once or a rejected promise
 * (the store may be remote) — is reported to `failed`, never thrown, and never holds the response up.
 */
function bill(step: () => Promise<void> | undefined, failed: ((e: unknown) => void) | undefined): void {
  try {
    step()?.catch((e: unknown) => failed?.(e));
  } catch (e) {
    failed?.(e);
  }
}

export function settle(ctx: RequestContext, deps: PipelineDeps, hooks: SettleHooks): void {
  ctx.dispose();
  const o = ctx.outcome;
  const served = o.served;
  const now = performance.now();
  const stream = ctx.request?.stream === true ? 'true' : 'false';
  const model = ctx.route?.model ?? '';
  if (served) {
    if (!o.usage && o.streamedChars !== undefined) {
      // a stream cut or abandoned before its usage chunk: bill what was generated
      const completion = Math.ceil(o.streamedChars / CHARS_PER_TOKEN);
      o.usage = { prompt_tokens: ctx.promptTokens, completion_tokens: completion, total_tokens: ctx.promptTokens + completion };
      o.costUsd = deps.account(o.usage, served);
    }
    const ttft = ctx.attempts.find((a) => a.target === served && a.outcome === 'ok')?.ttftMs;
    if (ttft !== undefined) {
      const s = served.stats;
      s.ttftEmaMs = s.ttftEmaMs === undefined ? ttft : s.ttftEmaMs + EMA_ALPHA * (ttft - s.ttftEmaMs);
      s.observed += 1;
    }
    const labels = { model, provider: served.upstream.provider, region: served.upstream.region };
    if (o.ttftMs !== undefined) deps.metrics.ttft.observe(labels, o.ttftMs / 1000);
    if (deps.cache && ctx.cache) writeBack(ctx, served, deps.cache);
    deps.metrics.decisions.inc({ model, strategy: ctx.route.strategy.name, provider: labels.provider, region: labels.region, target_model: served.model });
  }
  if (ctx.limits) {
    // a token limit's estimate becomes the tokens really used upstream (a cache hit used none)
    const u = ctx.cache?.hit ? undefined : o.usage;
    const used = u ? u.prompt_tokens + u.completion_tokens : 0;
    if (ctx.limits.cacheOnly && ctx.cache?.hit) deps.rateLimits.count(ctx.limits.cacheOnly.hit.limit, 'cache-only');
    const holds = ctx.limits.holds;
    bill(() => deps.rateLimits.settle(holds, used), hooks.billingFailed);
  }
  const spend = ctx.spend;
  if (spend) {
    const cost = o.costUsd ?? 0;
    bill(() => deps.budgets.settle(spend.subject, spend.holds, cost, served?.model), hooks.billingFailed);
  }
  hooks.leave?.();
  const durationMs = now - ctx.startedAt;
  deps.metrics.requests.inc({ model, status: String(o.status), stream });
  deps.metrics.duration.observe({ model, stream }, durationMs / 1000);
  hooks.log?.(ctx, durationMs);
}
