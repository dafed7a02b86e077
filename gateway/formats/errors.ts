/**
 * Upstream error answers in the front door's one shape (OpenAI's `{error:{message,type,code,param}}`)
 * and their kind, which decides retry and failover. Each format reads its own body and says what it
 * found; the kind from the status, and the OpenAI `type` from the kind, are decided here once.
 */
import type { UpstreamError, UpstreamErrorKind } from '../domain/format.js';

/** What a format read from an upstream error body. */
export interface ErrorFacts {
  readonly status: number;
  readonly message: string;
  /** the upstream's own code or type (`overloaded_error`, `RESOURCE_EXHAUSTED`, …) */
  readonly code: string | null;
  readonly param?: string | null;
  /** set when the body says more than the status (context length, content policy, refused key) */
  readonly kind?: UpstreamErrorKind;
}

/** The kind of an upstream error from its status alone. */
export function kindOfStatus(status: number): UpstreamErrorKind {
  if (status === 401 || status === 403 || status === 402) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  // request timeout, conflict, too early: transient, not the client's mistake
  if (status >= 500 || status === 408 || status === 409 || status === 425) return 'server';
  return 'invalid';
}

const TYPES: Record<UpstreamErrorKind, string> = {
  context_length: 'invalid_request_error',
  invalid: 'invalid_request_error',
  policy: 'invalid_request_error',
  auth: 'authentication_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  server: 'server_error',
};

/** OpenAI's own codes where one exists for the kind; otherwise the upstream's code is kept. */
const CODES: Partial<Record<UpstreamErrorKind, string>> = {
  context_length: 'context_length_exceeded',
  policy: 'content_policy_violation',
  rate_limit: 'rate_limit_exceeded',
};

/** Key-like strings an upstream may echo (OpenAI's 401 shows a masked key): never shown to clients. */
const KEY_RE = /\b(?:sk-[A-Za-z0-9_*-]{8,}|AIza[0-9A-Za-z_-]{20,})/g;

export function upstreamError(f: ErrorFacts): UpstreamError {
  const kind = f.kind ?? kindOfStatus(f.status);
  const message =
    kind === 'auth'
      ? `the upstream refused the gateway's credentials (HTTP ${f.status})`
      : f.message.replace(KEY_RE, '[redacted]');
  const type = kind === 'auth' && f.status === 403 ? 'permission_error' : TYPES[kind];
  const param = f.param ?? (kind === 'context_length' ? 'messages' : null);
  return { kind, body: { error: { message, type, code: CODES[kind] ?? f.code, param } } };
}

/** JSON.parse that answers undefined instead of throwing. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A message for a body that is not the format's error shape (an HTML page from a proxy, an empty body). */
export function rawMessage(status: number, text: string): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat ? `upstream answered HTTP ${status}: ${flat.slice(0, 200)}` : `upstream answered HTTP ${status}`;
}
