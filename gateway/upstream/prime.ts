import { classifyError } from './classify.js';
import type { AttemptInterceptor, AttemptResult, UpstreamReply } from './types.js';

/** Yield `first`, then the rest of `rest`; stopping early releases the upstream body. */
async function* replay(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  let done = false;
  try {
    yield first;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await rest.return?.();
  }
}

async function readAll(body: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * An attempt is only worth committing to once there is something to forward: the first body
 * bytes of a stream, the whole body otherwise. Failures up to that point (reset, silence past
 * firstByteMs, a body that is not JSON) stay attempt failures, so failover is still possible.
 * Replies the gateway will not forward (retryable failures) are released here.
 */
export const primeBody: AttemptInterceptor = (next) => async (attempt) => {
  const r = await next(attempt);
  const reply = r.reply;
  if (!reply) return r;
  if (r.outcome !== 'ok' && r.outcome !== '4xx') {
    reply.discard();
    return r;
  }
  const fail = (error: unknown): AttemptResult => {
    reply.discard();
    return { attempt, error, ...classifyError(error, attempt.call, 'body') };
  };
  if (r.outcome === 'ok' && attempt.call.stream) {
    const it = reply.body[Symbol.asyncIterator]();
    let first: IteratorResult<Buffer>;
    try {
      first = await it.next();
    } catch (error) {
      return fail(error);
    }
    if (first.done) return { attempt, outcome: 'invalid', detail: 'empty stream' };
    const primed: UpstreamReply = { ...reply, body: replay(first.value, it) };
    return { ...r, reply: primed };
  }
  let text: string;
  try {
    text = await readAll(reply.body);
  } catch (error) {
    return fail(error);
  }
  if (r.outcome === '4xx') return { ...r, reply: { ...reply, text } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null) return { attempt, outcome: 'invalid', detail: 'response body is not a JSON object' };
  return { ...r, reply: { ...reply, text, json } };
};
