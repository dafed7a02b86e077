import type { Dispatcher } from 'undici';
import { classifyError, parseRetryAfterMs } from './classify.js';
import type { AttemptDispatch, AttemptOutcome, UpstreamReply } from './types.js';

function outcomeOf(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return '429';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  return 'invalid'; // 1xx/3xx: not something an OpenAI-compatible endpoint answers
}

const DISCARD_LIMIT_BYTES = 64 * 1024;

function toReply(res: Dispatcher.ResponseData): UpstreamReply {
  return {
    statusCode: res.statusCode,
    headers: res.headers,
    body: res.body,
    // read a short remainder so the connection is reused; a long or stuck one is destroyed
    discard: () => {
      if (!res.body.destroyed) res.body.dump({ limit: DISCARD_LIMIT_BYTES }).catch(() => undefined);
    },
  };
}

/**
 * The innermost step: send one attempt to its upstream over the upstream's Pool and classify
 * what came back by status. Errors (refused, reset, timeouts, abort) become outcomes, not throws.
 */
export function sendAttempt(): AttemptDispatch {
  return async (attempt) => {
    const { call, target, n } = attempt;
    const upstream = target.upstream;
    let res: Dispatcher.ResponseData;
    try {
      res = await upstream.pool.request({
        method: 'POST',
        path: upstream.chatPath,
        headers: {
          ...upstream.headers,
          'content-type': 'application/json',
          accept: call.stream ? 'text/event-stream' : 'application/json',
          'x-request-id': call.id,
          'x-stormlab-attempt': String(n),
        },
        body: call.upstreamBody(upstream.format, target.model),
        signal: call.signal,
      });
    } catch (error) {
      return { attempt, error, ...classifyError(error, call, 'headers') };
    }
    const outcome = outcomeOf(res.statusCode);
    const retryAfterMs = outcome === '429' ? parseRetryAfterMs(res.headers['retry-after']) : undefined;
    return { attempt, outcome, reply: toReply(res), detail: `HTTP ${res.statusCode}`, retryAfterMs };
  };
}
