/**
 * The one error catalog. Every error stormlab raises on purpose has a code here,
 * a short title, the CLI exit code and (for HTTP surfaces) a status.
 * Keep docs/errors.md in step: test/errors-catalog.test.ts checks it.
 */
export const ERRORS = {
  SL_CONFIG_INVALID: { title: 'Invalid configuration', exit: 2, status: 400 },
  SL_CONFIG_NOT_FOUND: { title: 'File not found', exit: 2, status: 400 },
  SL_CONFIG_PARSE: { title: 'File could not be parsed', exit: 2, status: 400 },
  SL_USAGE: { title: 'Usage error', exit: 2, status: 400 },
  SL_SPEC_UNKNOWN: { title: 'Unknown scenario spec', exit: 2, status: 400 },
  SL_PLAN_UNKNOWN: { title: 'Unknown game-day plan', exit: 2, status: 400 },
  SL_K6_MISSING: { title: 'k6 is not installed', exit: 2, status: 500 },
  SL_K8S_BUNDLE_TOO_LARGE: { title: 'The k6 bundle is too large for a ConfigMap', exit: 2, status: 400 },
  SL_UPSTREAM_UNRESOLVED: { title: 'Upstream has no URL', exit: 2, status: 500 },
  SL_PROCESS_FAILED: { title: 'A lab process failed', exit: 1, status: 500 },
  SL_THRESHOLDS_FAILED: { title: 'Thresholds crossed', exit: 99, status: 500 },
  SL_INSTANCE_LOST: { title: 'The gateway instance serving the request died', exit: 1, status: 502 },
  SL_NO_INSTANCE: { title: 'No gateway instance accepted the request', exit: 1, status: 503 },
  GW_BAD_REQUEST: { title: 'Invalid request', exit: 1, status: 400 },
  GW_NOT_FOUND: { title: 'Not found', exit: 1, status: 404 },
  GW_NO_UPSTREAM: { title: 'No upstream serves this model', exit: 1, status: 404 },
  GW_UPSTREAM_EXHAUSTED: { title: 'All upstream attempts failed', exit: 1, status: 502 },
  GW_UPSTREAM_TIMEOUT: { title: 'Upstream timed out', exit: 1, status: 504 },
  GW_INTERNAL: { title: 'Internal gateway error', exit: 1, status: 500 },
  GW_UNAUTHORIZED: { title: 'Missing or unknown API key', exit: 1, status: 401 },
  GW_FORBIDDEN: { title: 'The API key may not do this', exit: 1, status: 403 },
  GW_UPSTREAM_UNAVAILABLE: { title: 'No upstream target is available', exit: 1, status: 503 },
  GW_UPSTREAM_CLIENT_ERROR: { title: "An upstream's own client error, passed through", exit: 1, status: 400 },
  GW_STREAM_INTERRUPTED: { title: 'The upstream stream failed after the answer had begun', exit: 1, status: 502 },
  GW_DRAINING: { title: 'The gateway is shutting down', exit: 1, status: 503 },
  MOCK_BAD_REQUEST: { title: 'Invalid request', exit: 1, status: 400 },
  MOCK_MODEL_NOT_FOUND: { title: 'Model not found', exit: 1, status: 404 },
  MOCK_CONTEXT_LENGTH_EXCEEDED: { title: "Prompt and max_tokens exceed the model's context window", exit: 1, status: 400 },
  MOCK_MAX_TOKENS_TOO_LARGE: { title: "max_tokens above the model's maximum output", exit: 1, status: 400 },
  MOCK_ROUTE_NOT_FOUND: { title: 'No such route on a mock endpoint', exit: 1, status: 404 },
  MOCK_INTERNAL: { title: 'Internal mock provider error', exit: 1, status: 500 },
  GW_UPSTREAM_RATE_LIMITED: { title: 'Every upstream attempt was rate-limited', exit: 1, status: 429 },
  GW_CLIENT_CLOSED: { title: 'Client closed the request', exit: 1, status: 499 },
  GW_BUDGET_EXCEEDED: { title: 'A hard spend budget is spent', exit: 1, status: 402 },
  GW_RATE_LIMITED: { title: 'A gateway rate limit was reached', exit: 1, status: 429 },
  GW_RESIDENCY_UNAVAILABLE: { title: "No target in the tenant's pinned regions is up", exit: 1, status: 503 },
  GW_RESIDENCY_NO_TARGET: { title: "The route has no target in the tenant's pinned regions", exit: 1, status: 403 },
  GW_QUEUE_TIMEOUT: { title: "A request's pacing queue timeout passed", exit: 1, status: 503 },
  GW_QUEUE_FULL: { title: 'Every candidate pacing queue is full', exit: 1, status: 503 },
  SL_RUN_INCOMPLETE: { title: 'Run directory is incomplete', exit: 2, status: 400 },
  SL_RUN_INTERRUPTED: { title: 'Run interrupted (report of what ran)', exit: 105, status: 500 },
  SL_RUN_ABORTED: { title: 'Run aborted by a second signal', exit: 130, status: 500 },
  SL_BASELINE_INTERRUPTED: { title: 'Baseline run was interrupted', exit: 2, status: 400 },
  MOCK_RATE_LIMITED: { title: 'Rate limit reached on a mock endpoint', exit: 1, status: 429 },
  MOCK_OVERLOADED: { title: 'Mock endpoint overloaded', exit: 1, status: 503 },
  MOCK_SERVER_ERROR: { title: 'Server error injected by a fault', exit: 1, status: 500 },
  MOCK_FAULT_NOT_FOUND: { title: 'No such fault', exit: 1, status: 404 },
  MOCK_FAULT_CONFLICT: { title: 'A fault with this id exists', exit: 1, status: 409 },
  MOCK_CONTROL_FORBIDDEN: { title: 'The control API only answers loopback clients', exit: 1, status: 403 },
} as const satisfies Record<string, { title: string; exit: number; status: number }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetail {
  /** file the problem is in, when there is one */
  file?: string;
  /** dotted path of the field, e.g. `arrival.stages[1].target` */
  path?: string;
  /** what was expected there */
  expected?: string;
  /** what was found */
  received?: string;
}

export class StormlabError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StormlabError';
    this.code = code;
    this.details = details;
  }
  get exitCode(): number {
    return ERRORS[this.code].exit;
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function isStormlabError(e: unknown): e is StormlabError {
  return e instanceof StormlabError;
}

/** One human-readable block: `error SL_CONFIG_INVALID: … \n  at file: path — expected …`. */
export function formatError(e: StormlabError): string {
  const lines = [`error ${e.code}: ${e.message}`];
  for (const d of e.details) {
    const where = [d.file, d.path].filter(Boolean).join(': ');
    const what = [d.expected ? `expected ${d.expected}` : '', d.received ? `received ${d.received}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${where || '(input)'}${what ? ` — ${what}` : ''}`);
  }
  return lines.join('\n');
}
