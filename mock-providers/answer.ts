/**
 * Writing an answer on schedule, with the faults that shape it. Timing (see pacer.ts): a stream's
 * status line, headers and first content go out together at TTFT, then one event per token; a
 * whole body goes out when its last token is due. Every write goes straight to the socket (Nagle
 * off, no buffering). The faults act here: a stream cut after k tokens (the data sent still
 * arrives, then the connection closes), one malformed event, a non-stream body truncated (with a
 * matching content-length) or cut short of its content-length.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CallModifiers } from './chaos/faults/types.js';
import type { Call } from './call.js';
import type { StreamRenderer, Usage } from './formats/types.js';
import type { FinishReason } from './latency.js';
import { pace } from './pacer.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

/**
 * res.write corks the socket until the next tick (so its pieces share a syscall); uncork now, so
 * the bytes reach the kernel in this wake and a timestamp taken after it is honest.
 */
function writeNow(res: ServerResponse, chunk: string | Buffer): boolean {
  const ok = res.write(chunk);
  res.socket?.uncork();
  return ok;
}

/**
 * A later event of a stream whose head res.write already sent: framed as an HTTP/1.1 chunk and
 * written straight to the socket in one write (res.write would cork, queue four pieces and a
 * next-tick uncork per event). Without chunked encoding (an HTTP/1.0 client) res.write frames it.
 */
function writeEvent(res: ServerResponse, chunk: string): boolean {
  const socket = res.socket;
  if (!socket || !res.chunkedEncoding) return writeNow(res, chunk);
  return socket.destroyed ? true : socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
}

/** Bytes (string length) of one write while a stream catches up: bounds what a slow reader makes the mock hold. */
const CHUNK = 16 * 1024;

/** Streams of this process waiting for their socket to drain: now, at most since the last reset, and in all. */
export const drainWaits = { now: 0, peak: 0, total: 0 };

/** Break the JSON of every `data:` line of an event (keeping the event framing), or cut a bare JSON element in half. */
export function corruptEvent(event: string): string {
  if (!event.includes('data: ')) return event.slice(0, Math.ceil(event.length / 2));
  return event.replace(/^data: (.*)$/gm, (_line, json: string) => `data: ${json.slice(0, Math.ceil(json.length / 2))}`);
}

/**
 * Send a whole JSON body at `atMs` after arrival.
 * @param cutShare with a cut fault: the share of the body sent before the connection closes (null: no cut)
 */
export function sendWhole(call: Call, headers: OutgoingHttpHeaders, atMs: number, body: string, m: CallModifiers, cutShare: number | null): void {
  const res = call.res;
  const send = (): void => {
    if (cutShare === null && m.truncateFraction === null) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      call.firstContentAt = performance.now();
      call.end('ok');
      return;
    }
    const bytes = Buffer.from(body);
    if (cutShare !== null) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': bytes.length });
      writeNow(res, bytes.subarray(0, Math.floor(bytes.length * cutShare)));
      call.firstContentAt = performance.now();
      call.cut('stream-cut', undefined, true);
      return;
    }
    const truncated = bytes.subarray(0, Math.max(1, Math.floor(bytes.length * m.truncateFraction!)));
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': truncated.length });
    res.end(truncated);
    call.firstContentAt = performance.now();
    call.end('error');
  };
  // due already (a zero-latency model): no timer
  if (atMs <= performance.now() - call.arrivedAt) send();
  else call.pacer = pace(call.arrivedAt, Float64Array.of(atMs), send);
}

export interface StreamAnswer {
  pieces: readonly string[];
  sse: StreamRenderer;
  usage: Usage;
  finishReason: FinishReason;
}

/**
 * Stream one event per token at its due time (call.offsets), with cut and malformed-event faults.
 * Backpressure: events go out in writes of at most CHUNK; when the socket's buffer is full the
 * pacer pauses until it drains, then everything due meanwhile follows (a slow reader never makes
 * the mock hold more than about one chunk of its answer).
 */
export function sendStream(call: Call, headers: OutgoingHttpHeaders, a: StreamAnswer, m: CallModifiers): void {
  const res = call.res;
  const n = a.pieces.length;
  const cutAt = m.cutAfterTokens !== null && m.cutAfterTokens < n ? m.cutAfterTokens : -1;
  const stopAt = cutAt < 0 ? n : cutAt;
  const bad = m.malformedAt ?? -1;
  const streamHeaders = a.sse.contentType ? { ...SSE_HEADERS, 'content-type': a.sse.contentType } : SSE_HEADERS;
  let due = 0;
  let written = 0;
  let started = false;
  let waiting = false;

  const wait = (): void => {
    const socket = res.socket;
    if (!socket || socket.destroyed) return;
    waiting = true;
    drainWaits.total++;
    drainWaits.peak = Math.max(drainWaits.peak, ++drainWaits.now);
    call.pacer!.pause();
    const settle = (): void => {
      if (!waiting) return;
      waiting = false;
      drainWaits.now--;
      socket.off('close', settle);
      socket.off('drain', drained);
    };
    const drained = (): void => {
      settle();
      if (call.done) return;
      flush();
      call.pacer!.resume();
    };
    socket.on('close', settle);
    socket.on('drain', drained);
  };

  const flush = (): void => {
    for (;;) {
      if (started && res.socket?.writableNeedDrain) return wait();
      const target = Math.min(due, stopAt);
      let out = started ? '' : a.sse.head();
      let i = written;
      for (; i < target && out.length < CHUNK; i++) {
        const event = a.sse.piece(a.pieces[i]!, i);
        out += i === bad ? corruptEvent(event) : event;
      }
      const first = !started;
      if (first) res.writeHead(200, { ...headers, ...streamHeaders });
      started = true;
      written = i;
      if (i === n && due === n) {
        res.end(out + a.sse.tail(a.usage, a.finishReason));
        if (first && n > 0) call.firstContentAt = performance.now();
        call.end(bad >= 0 && bad < n ? 'error' : 'ok');
        return;
      }
      if (out) {
        if (first) writeNow(res, out);
        else writeEvent(res, out);
      }
      // the first content's time is taken once its bytes are handed to the socket
      if (first && i > 0) call.firstContentAt = performance.now();
      if (cutAt >= 0 && written === cutAt && due > cutAt) return call.cut('stream-cut', cutAt, true);
      if (written === target) return;
    }
  };

  call.pacer = pace(call.arrivedAt, call.offsets!, (_from, to) => {
    due = to;
    if (!waiting) flush();
  });
}
