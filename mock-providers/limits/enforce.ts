/** Apply a model's RPM/TPM limits to one call: the rate-limit headers to send, or a 429 to throw. */
import { StormlabError } from '../../core/errors.js';
import { retryAfterHeaders, WireFailure } from '../error-handler.js';
import type { RateLimits } from '../fleet-schema.js';
import { goDuration } from '../formats/rate-headers.js';
import type { FormatUnit } from '../formats/types.js';
import type { RateLimiter } from './rate-limiter.js';

const PER_MIN = { requests: 'requests per min (RPM)', tokens: 'tokens per min (TPM)' } as const;

export function enforceLimits(
  format: FormatUnit,
  limiter: RateLimiter,
  limits: RateLimits | undefined,
  model: string,
  key: string | null,
  tokens: number,
): Record<string, string> {
  if (!limits || (limits.rpm === undefined && limits.tpm === undefined)) return {};
  const now = Date.now();
  const d = limiter.take(limits, model, key, tokens, now);
  const headers = format.rateLimitHeaders?.(d.state, now) ?? {};
  if (d.ok) return headers;
  const where = `${model} in organization org-stormlab on ${PER_MIN[d.limit]}`;
  const message =
    d.retryAfterMs === null
      ? `Request too large for ${where}: Limit ${d.limitValue}, Requested ${d.requested}. The input or output tokens must be reduced in order to run successfully.`
      : `Rate limit reached for ${where}: Limit ${d.limitValue}, Used ${d.used}, Requested ${d.requested}. Please try again in ${goDuration(d.retryAfterMs)}.`;
  throw new WireFailure({
    status: 429,
    error: new StormlabError('MOCK_RATE_LIMITED', message),
    headers: { ...headers, ...retryAfterHeaders(d.retryAfterMs) },
    limit: d.limit,
  });
}
