/**
 * The stand-in k6 modules a VU links the bundle against: `k6`, `k6/http`, `k6/metrics`,
 * `k6/execution` and `k6/x/sse` (xk6-sse), each with the exports and the behaviour the k6 docs
 * (and xk6-sse's source) give them, as far as our bundle can tell: blocking calls, metrics only
 * declared in the init context, k6's system tags and metadata on every sample.
 */
import type { HttpReply, IoReply, PointMsg } from './protocol.js';
import { blockFor, type VuChannel } from './sync-io.js';

type MetricType = PointMsg['type'];
type Contains = PointMsg['contains'];

export interface VuState {
  vu: number;
  scenario: { name: string; executor: string; startTime: number };
  /** null in the init context (and in setup/teardown for `exec.scenario`) */
  iteration: { inTest: number; inScenario: number; inInstance: number } | null;
  /** exec.vu.metrics.tags and .metadata: kept across iterations, as in k6 */
  vuTags: Record<string, unknown>;
  metadata: Record<string, unknown>;
  group: string;
  points: PointMsg[];
  options: unknown;
}

/** k6's own metrics the stand-ins emit. */
export const BUILTIN: Record<string, [MetricType, Contains]> = {
  http_reqs: ['counter', 'default'],
  http_req_failed: ['rate', 'default'],
  http_req_duration: ['trend', 'time'],
  http_req_blocked: ['trend', 'time'],
  http_req_connecting: ['trend', 'time'],
  http_req_tls_handshaking: ['trend', 'time'],
  http_req_sending: ['trend', 'time'],
  http_req_waiting: ['trend', 'time'],
  http_req_receiving: ['trend', 'time'],
  iterations: ['counter', 'default'],
  iteration_duration: ['trend', 'time'],
  data_sent: ['counter', 'data'],
  data_received: ['counter', 'data'],
  checks: ['rate', 'default'],
  dropped_iterations: ['counter', 'default'],
  sse_event: ['counter', 'default'],
};

const METRIC_NAME = /^[\p{L}\p{N}._ !?/&#()<>%-]{1,128}$/u;
const USER_AGENT = 'Grafana k6/stand-in';

/** Tag values as k6 takes them: strings, numbers and booleans (as strings); anything else is refused. */
function tagValues(tags: unknown, where: string): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object') throw new TypeError(`${where}: tags must be an object, got ${typeof tags}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new TypeError(`${where}: tag ${k} has a ${typeof v} value; k6 takes strings, numbers and booleans`);
  }
  return out;
}

/** Go's canonical header key: `x-request-id` → `X-Request-Id`. */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** A k6 duration (`60s`, `1m30s`, `1500ms`) or a number of ms. */
export function durationMs(v: unknown, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'number') return v;
  const text = String(v);
  let total = 0;
  let rest = text;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001 };
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|h|m|s)/.exec(rest);
    if (!m) throw new TypeError(`"${text}" is not a k6 duration`);
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

export function createK6Modules(state: VuState, io: VuChannel): Record<string, Record<string, unknown>> {
  const registry = new Map<string, [MetricType, Contains]>(Object.entries(BUILTIN));
  const inInit = () => state.iteration === null;

  function baseTags(): Record<string, string> {
    return { group: state.group, scenario: state.scenario.name, ...tagValues(state.vuTags, 'exec.vu.metrics.tags') };
  }
  function metadata(): Record<string, string> | undefined {
    const entries = Object.entries(state.metadata).filter(([, v]) => v !== undefined && v !== null);
    return entries.length > 0 ? Object.fromEntries(entries.map(([k, v]) => [k, String(v)])) : undefined;
  }
  function emit(metric: string, value: number, tags: Record<string, string>, timeMs = Date.now()): void {
    const [type, contains] = registry.get(metric)!;
    if (!Number.isFinite(value)) throw new TypeError(`${metric}: ${value} is not a valid sample value`);
    const meta = metadata();
    state.points.push({ metric, type, contains, timeMs, value, tags, ...(meta ? { metadata: meta } : {}) });
  }

  // ---- k6/metrics
  class Metric {
    readonly name: string;
    constructor(
      name: string,
      private readonly kind: MetricType,
      isTime: boolean,
    ) {
      if (!inInit()) throw new Error('metrics must be declared in the init context');
      if (typeof name !== 'string' || !METRIC_NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
      const want: [MetricType, Contains] = [kind, isTime ? 'time' : 'default'];
      const had = registry.get(name);
      if (had && had[0] !== kind) throw new Error(`metric "${name}" already exists as a ${had[0]}, not a ${kind}`);
      if (!had) registry.set(name, want);
      this.name = name;
    }
    add(value: unknown, tags?: unknown): boolean {
      if (inInit()) throw new Error('adding to metrics in the init context is not supported');
      let v = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      if (this.kind === 'rate') v = v !== 0 && !Number.isNaN(v) ? 1 : 0;
      emit(this.name, v, { ...baseTags(), ...tagValues(tags, `${this.name}.add()`) });
      return true;
    }
  }
  const metricClass = (kind: MetricType) =>
    class extends Metric {
      constructor(name: string, isTime = false) {
        super(name, kind, isTime === true);
      }
    };

  // ---- k6
  function sleep(seconds: unknown): void {
    if (inInit()) throw new Error('sleep() in the init context is not supported');
    blockFor(Number(seconds) * 1000);
  }
  function check(val: unknown, sets: Record<string, unknown>, tags?: unknown): boolean {
    let all = true;
    for (const [name, fn] of Object.entries(sets)) {
      const ok = typeof fn === 'function' ? Boolean((fn as (v: unknown) => unknown)(val)) : Boolean(fn);
      all &&= ok;
      emit('checks', ok ? 1 : 0, { ...baseTags(), check: name, ...tagValues(tags, 'check()') });
    }
    return all;
  }
  function group<T>(name: string, fn: () => T): T {
    const outer = state.group;
    state.group = `${outer}::${name}`;
    try {
      return fn();
    } finally {
      state.group = outer;
    }
  }
  function fail(msg?: string): never {
    throw new Error(msg ?? 'fail() called');
  }

  // ---- k6/http
  function errorTags(r: HttpReply): Record<string, string> {
    if (r.error) return { error: r.error, error_code: String(r.errorCode) };
    if (r.status >= 400) return { error_code: String(r.errorCode) };
    return {};
  }
  function request(method: string, url: string, body?: unknown, params?: Record<string, unknown>) {
    if (inInit()) throw new Error('making HTTP requests in the init context is not supported');
    const p = params ?? {};
    let text: string | null = null;
    if (typeof body === 'string') text = body;
    else if (body !== undefined && body !== null) {
      if (typeof body !== 'object') throw new TypeError(`http.${method.toLowerCase()}: unsupported body ${typeof body}`);
      text = new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString();
    }
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
    if (text !== null && typeof body === 'object') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    for (const [k, v] of Object.entries((p.headers as Record<string, unknown> | undefined) ?? {})) headers[k] = String(v);
    const userTags = tagValues(p.tags, `http.${method.toLowerCase()}() params.tags`);
    const reply = io.call({ op: 'http', method, url, headers, body: text, timeoutMs: durationMs(p.timeout, 60_000) }) as HttpReply;
    if (reply.kind !== 'http') throw new Error(`stand-in: expected an http reply, got ${reply.kind}`);
    const ok = reply.status >= 200 && reply.status < 400;
    const tags: Record<string, string> = {
      ...baseTags(),
      ...userTags,
      method,
      url,
      name: userTags.name ?? url,
      proto: reply.proto,
      status: String(reply.status),
      expected_response: String(ok),
      ...errorTags(reply),
    };
    const t = reply.timings;
    emit('http_reqs', 1, tags, reply.endMs);
    for (const [m, v] of [
      ['http_req_duration', t.duration],
      ['http_req_blocked', t.blocked],
      ['http_req_connecting', t.connecting],
      ['http_req_tls_handshaking', t.tls_handshaking],
      ['http_req_sending', t.sending],
      ['http_req_waiting', t.waiting],
      ['http_req_receiving', t.receiving],
    ] as const)
      emit(m, v, tags, reply.endMs);
    emit('http_req_failed', ok ? 0 : 1, tags, reply.endMs);
    emit('data_sent', reply.bytesSent, baseTags(), reply.endMs);
    emit('data_received', reply.bytesReceived, baseTags(), reply.endMs);
    const responseType = p.responseType ?? 'text';
    return {
      url,
      status: reply.status,
      status_text: reply.status ? `${reply.status}` : '',
      proto: reply.proto,
      headers: reply.headers,
      body: responseType === 'none' ? null : reply.body,
      timings: { ...t },
      error: reply.error,
      error_code: reply.errorCode,
      request: { method, url, headers, body: text ?? '' },
      json: () => JSON.parse(reply.body),
    };
  }
  const http = {
    request,
    get: (url: string, params?: Record<string, unknown>) => request('GET', url, null, params),
    head: (url: string, params?: Record<string, unknown>) => request('HEAD', url, null, params),
    post: (url: string, body?: unknown, params?: Record<string, unknown>) => request('POST', url, body, params),
    put: (url: string, body?: unknown, params?: Record<string, unknown>) => request('PUT', url, body, params),
    patch: (url: string, body?: unknown, params?: Record<string, unknown>) => request('PATCH', url, body, params),
    del: (url: string, body?: unknown, params?: Record<string, unknown>) => request('DELETE', url, body, params),
  };

  // ---- k6/execution
  const vuMetrics = { tags: state.vuTags, metadata: state.metadata };
  const exec = {
    get scenario() {
      const it = state.iteration;
      if (!it) throw new Error('getting scenario information outside of the VU context is not supported');
      return { ...state.scenario, progress: 0, iterationInInstance: it.inTest, iterationInTest: it.inTest };
    },
    get vu() {
      const it = state.iteration;
      return {
        idInInstance: state.vu,
        idInTest: state.vu,
        iterationInInstance: it?.inInstance ?? 0,
        iterationInScenario: it?.inScenario ?? 0,
        metrics: vuMetrics,
        tags: state.vuTags,
      };
    },
    get instance() {
      return { iterationsInterrupted: 0, iterationsCompleted: 0, vusActive: 0, vusInitialized: 0, currentTestRunDuration: Date.now() - state.scenario.startTime };
    },
    test: {
      abort(msg?: string): never {
        throw new Error(`test aborted${msg ? `: ${msg}` : ''}`);
      },
      get options() {
        return state.options;
      },
    },
  };

  return {
    k6: { sleep, check, group, fail, randomSeed: () => {} },
    'k6/http': { default: http, ...http },
    'k6/metrics': { Counter: metricClass('counter'), Gauge: metricClass('gauge'), Rate: metricClass('rate'), Trend: metricClass('trend') },
    'k6/execution': { default: exec },
    'k6/x/sse': { default: createSse(state, io, baseTags, emit) },
  };
}

type Emit = (metric: string, value: number, tags: Record<string, string>, timeMs?: number) => void;

/**
 * xk6-sse (github.com/phymbert/xk6-sse, sse.go): `open` blocks the VU while the stream is open;
 * events reach the script as they arrive; a line it does not know is an `error` event; EOF ends
 * it; `close()` drains the rest of the body, and an error while draining is an `error` event
 * raised inside close() — where calling close() again deadlocks xk6-sse (a re-entered sync.Once),
 * which the stand-in reports as an error instead of hanging.
 */
function createSse(state: VuState, io: VuChannel, baseTags: () => Record<string, string>, emit: Emit) {
  type Handler = (arg?: unknown) => void;
  const asError = (msg: string) => ({ error: () => msg, toString: () => msg });
  function open(url: string, params: Record<string, unknown> | undefined, setup: (client: unknown) => void) {
    if (state.iteration === null) throw new Error('using sse in the init context is not supported');
    if (typeof setup !== 'function') throw new Error('last argument to sse.open must be a function');
    const p = params ?? {};
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'User-Agent': USER_AGENT };
    for (const [k, v] of Object.entries((p.headers as Record<string, unknown> | undefined) ?? {})) headers[canonicalHeader(k)] = String(v);
    const tags: Record<string, string> = { ...baseTags(), ...tagValues(p.tags, 'sse.open() params.tags'), url };
    const method = typeof p.method === 'string' && p.method.trim() ? p.method.trim() : 'GET';
    const body = typeof p.body === 'string' ? p.body.trim() : p.body === undefined ? '' : String(p.body).trim();
    const handlers = new Map<string, Handler[]>();
    const fire = (event: string, arg?: unknown) => {
      for (const h of handlers.get(event) ?? []) h(arg);
    };
    const first = io.call({ op: 'sse-open', method, url, headers, body });
    const end = (startMs: number, connectedMs: number) => {
      const now = Date.now();
      emit('http_reqs', 1, tags, now);
      emit('http_req_sending', connectedMs - startMs, tags, now);
      emit('http_req_duration', now - startMs, tags, now);
    };
    if (first.kind === 'sse-failed') {
      emit('http_req_sending', Date.now() - first.startMs, tags, first.startMs);
      fire('error', asError(first.error)); // no handlers yet: xk6-sse raises it before the setup function runs
      end(first.startMs, Date.now());
      return { url: '', status: 0, headers: null, error: first.error };
    }
    if (first.kind !== 'sse-connected') throw new Error(`stand-in: unexpected reply ${first.kind}`);
    tags.status = String(first.status);
    emit('http_req_sending', first.connectedMs - first.startMs, tags, first.startMs);
    let phase: 'open' | 'closing' | 'closed' = 'open';
    const drainUntilEnd = (): IoReply & { kind: 'sse-end' } => {
      for (;;) {
        const r = io.next();
        if (r.kind === 'sse-end') return r;
      }
    };
    const client = {
      on(event: string, handler: Handler) {
        if (typeof handler === 'function') handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      },
      close() {
        if (phase === 'closed') return;
        if (phase === 'closing') {
          throw new Error('client.close() re-entered from an error handler while close() drains the body: xk6-sse deadlocks here (sync.Once)');
        }
        phase = 'closing';
        io.send({ op: 'sse-close' });
        const r = drainUntilEnd();
        if (r.error) fire('error', asError(r.error));
        phase = 'closed';
      },
    };
    setup(client);
    fire('open');
    while (phase === 'open') {
      const r = io.next();
      if (r.kind === 'sse-event') {
        emit('sse_event', 1, tags);
        fire('event', { id: r.id, name: r.name, comment: r.comment, data: r.data });
      } else if (r.kind === 'sse-error') fire('error', asError(r.error));
      else if (r.kind === 'sse-end') phase = 'closed';
    }
    end(first.startMs, first.connectedMs);
    return { url, status: first.status, headers: first.headers, error: '' };
  }
  return { open };
}
