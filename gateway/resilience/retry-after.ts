/**
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP date) and OpenAI's `retry-after-ms`, in milliseconds.
 * Pure: the current time is passed in.
 */
import type { IncomingHttpHeaders } from 'node:http';

const SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * One `retry-after` value in ms from `now`: seconds (decimals tolerated, rounded up to whole ms) or an HTTP date
 * (a date in the past is 0). Anything else — empty, negative, hex, garbage — is undefined, never NaN.
 */
export function parseRetryAfterMs(value: string | readonly string[] | undefined, now: number): number | undefined {
  const v = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!v) return undefined;
  if (SECONDS.test(v)) {
    const ms = Math.ceil(Number(v) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (!/[a-z]/i.test(v)) return undefined; // `-5`, `1,5`: not a date either (Date.parse would read `-5` as a year)
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `retry-after-ms` (OpenAI, Azure) when it is a plain number, else `retry-after`. */
export function retryAfterFromHeaders(headers: IncomingHttpHeaders, now: number): number | undefined {
  const raw = headers['retry-after-ms'];
  const ms = typeof raw === 'string' && SECONDS.test(raw.trim()) ? Math.ceil(Number(raw)) : undefined;
  return ms !== undefined && Number.isFinite(ms) ? ms : parseRetryAfterMs(headers['retry-after'], now);
}
