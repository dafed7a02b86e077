/**
 * Apply a model's rate limits to one call: the rate-limit headers to send, or a 429 to throw, in
 * the API's words. The limiter is the provider's, shared by all its regions (limits are per
 * organisation, i.e. API key, and model).
 */
import { StormlabError } from '../../core/errors.js';
import { retryAfterHeaders, WireFailure } from '../error-handler.js';
import type { RateLimits } from '../fleet-schema.js';
import { goDuration } from '../formats/rate-headers.js';
import type { FormatUnit } from '../formats/types.js';
import type { LimitDecision, LimitKind, RateLimiter, TokenDemand } from './rate-limiter.js';

const PER_MIN: Record<LimitKind, string> = {
  requests: 'requests per min (RPM)',
  tokens: 'tokens per min (TPM)',
  input_tokens: 'input tokens per min (ITPM)',
  output_tokens: 'output tokens per min (OTPM)',
};
const ANTHROPIC_UNITS: Record<LimitKind, string> = {
  requests: 'requests',
  tokens: 'tokens',
  input_tokens: 'input tokens',
  output_tokens: 'output tokens',
};

type Refusal = Extract<LimitDecision, { ok: false }>;

function message(format: FormatUnit, model: string, d: Refusal): string {
  if (format.name === 'anthropic') {
    return `This request would exceed the rate limit for your organization of ${d.limitValue.toLocaleString('en-US')} ${ANTHROPIC_UNITS[d.limit]} per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.`;
  }
  if (format.name === 'gemini') {
    return `You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: ${PER_MIN[d.limit]}, limit: ${d.limitValue}, model: ${model}.`;
  }
  const where = `${model} in organization org-stormlab on ${PER_MIN[d.limit]}`;
  return d.retryAfterMs === null
    ? `Request too large for ${where}: Limit ${d.limitValue}, Requested ${d.requested}. The input or output tokens must be reduced in order to run successfully.`
    : `Rate limit reached for ${where}: Limit ${d.limitValue}, Used ${d.used}, Requested ${d.requested}. Please try again in ${goDuration(d.retryAfterMs)}.`;
}

export function enforceLimits(
  format: FormatUnit,
  limiter: RateLimiter,
  limits: RateLimits | undefined,
  model: string,
  key: string | null,
  demand: number | TokenDemand,
): Record<string, string> {
  if (!limits || Object.values(limits).every((v) => v === undefined)) return {};
  const now = Date.now();
  const d = limiter.take(limits, model, key, demand, now);
  const headers = format.rateLimitHeaders?.(d.state, now) ?? {};
  if (d.ok) return headers;
  throw new WireFailure({
    status: 429,
    error: new StormlabError('MOCK_RATE_LIMITED', message(format, model, d)),
    headers: { ...headers, ...retryAfterHeaders(d.retryAfterMs) },
    limit: d.limit,
  });
}
