/**
 * The stand-in k6 modules a VU links the bundle against: `k6`, `k6/http`, `k6/metrics`,
 * `k6/execution` and `k6/x/sse` (xk6-sse), each with the exports and the behaviour the k6 docs
 * (and xk6-sse's source) give them, as far as our bundle can tell: blocking calls, metrics only
 * declared in the init context, k6's system tags and metadata on every sample.
 */
import { BUILTIN, durationMs, tagValues, USER_AGENT } from './k6-common.js';
import type { Contains, Emit, MetricType, VuState } from './k6-common.js';
import type { HttpReply } from './protocol.js';
import { createSse } from './sse-module.js';
import { blockFor, type VuChannel } from './sync-io.js';


const METRIC_NAME = /^[\p{L}\p{N}._ !?/&#()<>%-]{1,128}$/u;

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
  const emit: Emit = (metric, value, tags, timeMs = Date.now()) => {
    const [type, contains] = registry.get(metric)!;
    if (!Number.isFinite(value)) throw new TypeError(`${metric}: ${value} is not a valid sample value`);
    const meta = metadata();
    state.points.push({ metric, type, contains, timeMs, value, tags, ...(meta ? { metadata: meta } : {}) });
  };

  // ---- k6/metrics
  class Metric {
    readonly name: string;
    constructor(
      name: string,
      private readonly kind: MetricType,
      isTime: boolean,
    ) {
      if (!inInit()) throw new Error('metrics must be declared in the init context');
      if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
        throw new Error(`invalid metric name ${JSON.stringify(name)}`);
      }
      const want: [MetricType, Contains] = [kind, isTime ? 'time' : 'default'];
      const had = registry.get(name);
      if (had && (had[0] !== kind || had[1] !== want[1])) {
        throw new Error(`metric "${name}" already exists as a ${had[0]} of ${had[1]} values, not a ${kind} of ${want[1]}`);
      }
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
      const form = Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]);
      text = new URLSearchParams(form).toString();
    }
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
    if (text !== null && typeof body === 'object') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    for (const [k, v] of Object.entries((p.headers as Record<string, unknown> | undefined) ?? {})) headers[k] = String(v);
    const userTags = tagValues(p.tags, `http.${method.toLowerCase()}() params.tags`);
    const timeoutMs = durationMs(p.timeout, 60_000);
    const reply = io.call({ op: 'http', method, url, headers, body: text, timeoutMs }) as HttpReply;
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
      const currentTestRunDuration = Date.now() - state.scenario.startTime;
      return { iterationsInterrupted: 0, iterationsCompleted: 0, vusActive: 0, vusInitialized: 0, currentTestRunDuration };
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
    'k6/metrics': {
      Counter: metricClass('counter'),
      Gauge: metricClass('gauge'),
      Rate: metricClass('rate'),
      Trend: metricClass('trend'),
    },
    'k6/execution': { default: exec },
    'k6/x/sse': { default: createSse(state, io, baseTags, emit) },
  };
}
