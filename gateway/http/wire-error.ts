import { ERRORS, isStormlabError, StormlabError } from '../../core/errors.js';
import { UpstreamClientError } from '../domain/upstream-client-error.js';

/** The one error shape on the wire, OpenAI-style; `code` is a catalog code. */
export interface WireError {
  error: { message: string; type: string; code: string | null; param: string | null };
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 499) return 'client_closed_request';
  if (status === 502 || status === 503 || status === 504) return 'upstream_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Fastify's own client errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode. */
function fastifyClientError(e: unknown): { statusCode: number; message: string } | undefined {
  if (!(e instanceof Error)) return undefined;
  const statusCode = (e as { statusCode?: unknown }).statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? { statusCode, message: e.message } : undefined;
}

/** Any thrown value → HTTP status + wire body. Unknown errors become GW_INTERNAL without leaking internals. */
export function toWireError(e: unknown): { status: number; body: WireError; error: StormlabError } {
  if (e instanceof UpstreamClientError) {
    // the provider's own client error, as it said it (translated to this shape by its adapter)
    return { status: e.status, body: e.body, error: new StormlabError('GW_UPSTREAM_CLIENT_ERROR', e.message) };
  }
  let error: StormlabError;
  let status: number;
  if (isStormlabError(e)) {
    error = e;
    status = e.status;
  } else {
    const client = fastifyClientError(e);
    error = client
      ? new StormlabError('GW_BAD_REQUEST', client.message, [], { cause: e })
      : new StormlabError('GW_INTERNAL', ERRORS.GW_INTERNAL.title, [], { cause: e });
    status = client?.statusCode ?? error.status;
  }
  const param = error.details[0]?.path ?? null;
  return { status, error, body: { error: { message: error.message, type: errorType(status), code: error.code, param } } };
}
