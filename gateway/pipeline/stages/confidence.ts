/**
 * A cascade's confidence check: hold the answer until its first `confidenceTokens` tokens have
 * log-probabilities (or it is complete), then keep it only if their mean is high enough; else
 * the request escalates to the next (dearer) target, invisibly to the client.
 */
import type { Answer } from '../../domain/answer.js';
import type { StreamItem } from '../../domain/format.js';
import type { Route } from '../../domain/route.js';
import { isConfident } from '../../routing/strategies/cascade.js';
import type { AttemptOptions } from '../../upstream/attempt.js';

function streamLogprobs(head: readonly StreamItem[]): number[] {
  const out: number[] = [];
  for (const i of head) if (i.kind === 'chunk' && i.logprobs) out.push(...i.logprobs);
  return out;
}

/** Attempt options that gather enough log-probabilities before a stream is committed. */
export function confidenceOptions(route: Route): AttemptOptions {
  const c = route.confidence;
  if (!c) return {};
  return { logprobs: true, enough: (head) => streamLogprobs(head).length >= c.confidenceTokens };
}

/** The answer's leading log-probabilities are confident enough to keep (always true off a cascade). */
export function confident(route: Route, answer: Answer): boolean {
  const c = route.confidence;
  if (!c || answer.kind === 'cached') return true;
  const logprobs =
    answer.kind === 'stream' ? streamLogprobs(answer.head) : (answer.completion.choices[0]?.logprobs?.content ?? []).map((t) => t.logprob);
  return isConfident(logprobs, c);
}
