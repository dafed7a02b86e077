/**
 * The host side of the VUs' blocking calls: real HTTP with undici on loopback, answered with
 * what k6's http.Response would carry, and SSE streams read line by line with xk6-sse's rules
 * (sse.go `readEvents`), each event handed to the blocked VU as it arrives.
 */
import type { MessagePort } from 'node:worker_threads';
import { Agent, request } from 'undici';
import { canonicalHeader } from './k6-common.js';
import type { HttpReply, IoReply, IoRequest } from './protocol.js';
import { reply } from './sync-io.js';

function canonicalHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[canonicalHeader(k)] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** k6's error message and code for a failed request (https://grafana.com/docs/k6/latest/javascript-api/error-codes/). */
function k6Error(e: unknown, url: string, timedOut: boolean): { error: string; errorCode: number } {
  if (timedOut) return { error: 'request timeout', errorCode: 1050 };
  const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  const host = new URL(url).host;
  if (code === 'ECONNREFUSED') return { error: `dial tcp ${host}: connect: connection refused`, errorCode: 1212 };
  if (code === 'ECONNRESET') return { error: 'read: connection reset by peer', errorCode: 1220 };
  if (code === 'ENOTFOUND') return { error: `lookup ${host}: no such host`, errorCode: 1101 };
  return { error: e instanceof Error ? e.message : String(e), errorCode: 1000 };
}

/** undici does not say how long connecting took: the stand-in reports those phases as 0 */
const NO_CONNECT = { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0 };

const bytesOf = (headers: Record<string, string>, body: string | null) =>
  Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) + (body ? Buffer.byteLength(body) : 0);

/** One VU's I/O: at most one request or stream at a time, as a blocked VU can make no other. */
export class VuIo {
  private stream: { closing: boolean; finished: boolean; failed?: string; abort: AbortController } | null = null;

  constructor(
    private readonly port: MessagePort,
    private readonly signal: SharedArrayBuffer,
    private readonly agent: Agent,
  ) {
    port.on('message', (req: IoRequest) => void this.handle(req));
  }

  private send(msg: IoReply): void {
    reply(this.port, this.signal, msg);
  }

  close(): void {
    this.stream?.abort.abort();
    this.port.close();
  }

  private async handle(req: IoRequest): Promise<void> {
    if (req.op === 'http') this.send(await this.http(req));
    else if (req.op === 'sse-open') await this.sseOpen(req);
    else this.sseClose();
  }

  private async http(req: Extract<IoRequest, { op: 'http' }>): Promise<HttpReply> {
    const startMs = Date.now();
    const t0 = performance.now();
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const base = { kind: 'http' as const, proto: 'HTTP/1.1', startMs, bytesSent: bytesOf(req.headers, req.body) };
    try {
      const res = await request(req.url, {
        method: req.method as 'POST',
        headers: req.headers,
        body: req.body ?? undefined,
        signal: timeout,
        dispatcher: this.agent,
      });
      const t1 = performance.now();
      const body = await res.body.text();
      const t2 = performance.now();
      const headers = canonicalHeaders(res.headers);
      const timings = { ...NO_CONNECT, waiting: t1 - t0, receiving: t2 - t1, duration: t2 - t0 };
      const errorCode = res.statusCode >= 400 ? 1000 + res.statusCode : 0;
      const bytesReceived = bytesOf(headers, body);
      return { ...base, status: res.statusCode, headers, body, error: '', errorCode, timings, endMs: Date.now(), bytesReceived };
    } catch (e) {
      const t2 = performance.now();
      const timings = { ...NO_CONNECT, waiting: t2 - t0, receiving: 0, duration: t2 - t0 };
      const error = k6Error(e, req.url, timeout.aborted);
      return { ...base, status: 0, headers: {}, body: '', ...error, timings, endMs: Date.now(), bytesReceived: 0 };
    }
  }

  private async sseOpen(req: Extract<IoRequest, { op: 'sse-open' }>): Promise<void> {
    const startMs = Date.now();
    const abort = new AbortController();
    const s = { closing: false, finished: false, failed: undefined as string | undefined, abort };
    this.stream = s;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      const method = req.method as 'POST';
      res = await request(req.url, { method, headers: req.headers, body: req.body, signal: abort.signal, dispatcher: this.agent });
    } catch (e) {
      this.stream = null;
      this.send({ kind: 'sse-failed', error: k6Error(e, req.url, false).error, startMs });
      return;
    }
    const headers = canonicalHeaders(res.headers);
    this.send({ kind: 'sse-connected', status: res.statusCode, headers, startMs, connectedMs: Date.now() });
    let pending = '';
    let ev = { id: '', name: '', comment: '', data: '' };
    let buf = '';
    const line = (l: string): void => {
      const strip = (n: number) => l.slice(n, -1);
      if (l.startsWith('id: ')) ev.id = strip(4);
      else if (l.startsWith('id:')) ev.id = strip(3);
      else if (l.startsWith(': ')) ev.comment = strip(2);
      else if (l.startsWith(':')) ev.comment = strip(1);
      else if (l.startsWith('event: ')) ev.name = strip(7);
      else if (l.startsWith('event:')) ev.name = strip(6);
      else if (l.startsWith('data: ')) buf += l.slice(6);
      else if (l.startsWith('data:')) buf += l.slice(5);
      else if (l.startsWith('retry:')) {
        // ignored, as xk6-sse does
      } else if (l === '\n') {
        this.send({ kind: 'sse-event', ...ev, data: buf.replace(/[\r\n]+$/, '') });
        ev = { id: '', name: '', comment: '', data: '' };
        buf = '';
      } else this.send({ kind: 'sse-error', error: `unknown event: ${l}` });
    };
    try {
      for await (const chunk of res.body) {
        if (s.closing) continue; // close(): the rest of the body is drained, not handed to the script
        pending += (chunk as Buffer).toString('utf8');
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          line(pending.slice(0, nl + 1));
          pending = pending.slice(nl + 1);
          if (s.closing) break;
        }
      }
    } catch (e) {
      // a read error: xk6-sse raises it as an `error` event and stops reading; the body stays broken
      s.failed = k6Error(e, req.url, false).error;
      if (s.closing) this.finish(s, s.failed);
      else this.send({ kind: 'sse-error', error: s.failed });
      return;
    }
    this.finish(s); // EOF (a partial last line is dropped, as bufio's ReadBytes does at EOF)
  }

  private finish(s: NonNullable<VuIo['stream']>, error?: string): void {
    if (s.finished) return;
    s.finished = true;
    if (this.stream === s) this.stream = null;
    this.send({ kind: 'sse-end', endMs: Date.now(), ...(error ? { error } : {}) });
  }

  private sseClose(): void {
    const s = this.stream;
    if (!s || s.finished) return; // the stream already ended: its end is on the way to the VU
    s.closing = true;
    // draining a body that already failed fails again (the error stays on the Go reader)
    if (s.failed !== undefined) this.finish(s, s.failed);
  }
}
