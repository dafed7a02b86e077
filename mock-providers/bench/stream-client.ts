/**
 * Bench child: opens many SSE streams over raw TCP sockets (no HTTP client in the way, one socket
 * per stream), timestamps the first content-bearing event and every data write, and reports.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BenchMessage, StreamJob, StreamResult } from './protocol.js';

const FIRST_CONTENT = /"content":"[^"]/;

/** Slow readers: open `count` streams, send the requests, read nothing, close them all after `holdUnreadMs`. */
function holdUnread(job: StreamJob, holdMs: number): Promise<StreamResult> {
  const u = new URL(job.url);
  const body = JSON.stringify({ model: job.model, messages: [{ role: 'user', content: 'Tell me a long story.' }], stream: true });
  const request = `POST /v1/chat/completions HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const res: StreamResult = { type: 'streams-done', opened: 0, completed: 0, errors: 0, peakOpen: 0, ttftErrorsMs: [], maxGapMs: 0, events: 0 };
  const sockets = Array.from({ length: job.count }, () => {
    const s = connect(Number(u.port), u.hostname, () => {
      s.pause();
      s.write(request);
      res.opened++;
    });
    s.on('error', () => void res.errors++);
    return s;
  });
  return new Promise((resolve) =>
    setTimeout(() => {
      res.peakOpen = sockets.filter((s) => !s.destroyed).length;
      for (const s of sockets) s.destroy();
      resolve(res);
    }, holdMs),
  );
}

function run(job: StreamJob): Promise<StreamResult> {
  if (job.holdUnreadMs !== undefined) return holdUnread(job, job.holdUnreadMs);
  const u = new URL(job.url);
  const port = Number(u.port);
  const body = JSON.stringify({ model: job.model, messages: [{ role: 'user', content: 'Tell me about load testing.' }], stream: true });
  const request = `POST /v1/chat/completions HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  const res: StreamResult = { type: 'streams-done', opened: 0, completed: 0, errors: 0, peakOpen: 0, ttftErrorsMs: [], maxGapMs: 0, events: 0 };
  let open = 0;
  let settled = 0;
  return new Promise((resolve) => {
    const finish = (): void => {
      if (++settled === job.count) resolve(res);
    };
    const openOne = (): void => {
      const s = connect(port, u.hostname);
      s.setNoDelay(true);
      let sentAt = 0;
      let first = false;
      let last = 0;
      let done = false;
      let tail = '';
      res.opened++;
      s.on('connect', () => {
        sentAt = performance.now();
        s.write(request);
      });
      s.setEncoding('utf8');
      s.on('data', (chunk: string) => {
        const now = performance.now();
        const text = tail + chunk;
        tail = text.slice(-16);
        if (!first && FIRST_CONTENT.test(text)) {
          first = true;
          open++;
          res.peakOpen = Math.max(res.peakOpen, open);
          res.ttftErrorsMs.push(now - sentAt - job.configuredTtftMs);
        } else if (first) res.maxGapMs = Math.max(res.maxGapMs, now - last);
        last = now;
        res.events++;
        if (!done && text.includes('data: [DONE]')) {
          done = true;
          res.completed++;
          open--;
          s.end();
        }
      });
      s.on('error', () => undefined);
      s.on('close', () => {
        if (!done) {
          res.errors++;
          if (first) open--;
        }
        finish();
      });
    };
    // open on an absolute schedule (stream i at i × rampMs / count), checked every millisecond
    const t0 = performance.now();
    let started = 0;
    const timer = setInterval(() => {
      const due = Math.min(job.count, Math.floor(((performance.now() - t0) / Math.max(1, job.rampMs)) * job.count) + 1);
      for (; started < due; started++) openOne();
      if (started >= job.count) clearInterval(timer);
    }, 1);
  });
}

process.on('message', (raw) => {
  const m = raw as BenchMessage;
  if (m.type === 'streams') void run(m).then((r) => process.send?.(r));
  if (m.type === 'close') process.exit(0);
});
process.send?.({ type: 'ok' } satisfies BenchMessage);
