/**
 * The stand-in `k6/x/sse` (github.com/phymbert/xk6-sse, sse.go): `open` blocks the VU while the
 * stream is open; events reach the script as they arrive; a line it does not know is an `error`
 * event; EOF ends it; `close()` drains the rest of the body, and an error while draining is an
 * `error` event raised inside close() — where calling close() again deadlocks xk6-sse (a
 * re-entered sync.Once), which the stand-in reports as an error instead of hanging. Like xk6-sse,
 * it writes `http_reqs`, `http_req_sending`, `http_req_duration` and `sse_event`, and no
 * `http_req_failed`.
 */
import { canonicalHeader, tagValues, USER_AGENT, type Emit, type VuState } from './k6-common.js';
import type { IoReply } from './protocol.js';
import type { VuChannel } from './sync-io.js';

export function createSse(state: VuState, io: VuChannel, baseTags: () => Record<string, string>, emit: Emit) {
  type Handler = (arg?: unknown) => void;
  const asError = (msg: string) => ({ error: () => msg, toString: () => msg });
  function open(url: string, params: Record<string, unknown> | undefined, setup: (client: unknown) => void) {
    if (state.iteration === null) throw new Error('using sse in the init context is not supported');
    if (typeof setup !== 'function') throw new Error('last argument to sse.open must be a function');
    const p = params ?? {};
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'User-Agent': USER_AGENT };
    const given = (p.headers as Record<string, unknown> | undefined) ?? {};
    for (const [k, v] of Object.entries(given)) headers[canonicalHeader(k)] = String(v);
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
          throw new Error(
            'client.close() re-entered from an error handler while close() drains the body: xk6-sse deadlocks here (sync.Once)',
          );
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
