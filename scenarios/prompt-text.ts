/**
 * Seeded filler text for prompts: varied sentences from a small vocabulary, sized in characters.
 * Pure TS (k6-safe). Later prompt families (shipped datasets, repeated prompts for cache tests)
 * plug in beside this; this is the fallback that only cares about size and variety.
 */
import type { Rng } from '../core/random.js';

const SUBJECTS = [
  'the gateway', 'our team', 'the customer', 'a new region', 'the billing service', 'each tenant', 'the scheduler',
  'the mobile app', 'the support desk', 'a quarterly report', 'the cache layer', 'the search index', 'every request',
  'the storage cluster', 'the onboarding flow', 'the release train', 'a partner api', 'the data pipeline',
];
const VERBS = [
  'reduces', 'explains', 'delays', 'improves', 'summarizes', 'routes', 'measures', 'compares', 'retries', 'records',
  'forecasts', 'validates', 'rewrites', 'balances', 'reviews', 'translates', 'ranks', 'publishes', 'archives', 'tracks',
];
const OBJECTS = [
  'latency budgets', 'monthly costs', 'failed payments', 'open incidents', 'the product roadmap', 'customer feedback',
  'regional traffic', 'token usage', 'error rates', 'the migration plan', 'weekly metrics', 'contract terms',
  'shipping times', 'security alerts', 'user sessions', 'the test results', 'capacity limits', 'model outputs',
];
const TAILS = [
  'before the deadline', 'during peak hours', 'for every region', 'without manual steps', 'in plain language',
  'with fewer retries', 'across all teams', 'since last quarter', 'under heavy load', 'for the next release',
  'at a lower price', 'in under a second', 'after the outage', 'with clear examples', 'for new customers',
];
const OPENERS = [
  'Summarize the notes below.', 'Answer the question that follows.', 'Rewrite this text more concisely.',
  'List the key points in the passage.', 'Explain the following in simple terms.', 'Draft a reply to this message.',
  'Classify the topic of this text.', 'Extract the action items below.',
];
const CONNECTORS = ['Meanwhile,', 'However,', 'In short,', 'As a result,', 'Also,', 'Then', 'Still,', 'Overall,'];
const ENDS = ['.', '.', '.', '?', '!'];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng.uniform() * list.length)] as T;
}

/** One sentence such as "However, the scheduler measures error rates under heavy load." */
export function sentence(rng: Rng): string {
  const lead = rng.chance(0.3) ? `${pick(rng, CONNECTORS)} ` : '';
  const body = `${pick(rng, SUBJECTS)} ${pick(rng, VERBS)} ${pick(rng, OBJECTS)}`;
  const tail = rng.chance(0.6) ? ` ${pick(rng, TAILS)}` : '';
  const text = `${lead}${body}${tail}${pick(rng, ENDS)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A task instruction to open a user message. */
export function opener(rng: Rng): string {
  return pick(rng, OPENERS);
}

/**
 * Exactly `chars` characters (≥ 1) of seeded prose, starting with an instruction.
 * The cut falls wherever the length says; a trailing space becomes a full stop.
 */
export function proseOfLength(rng: Rng, chars: number): string {
  const n = Math.max(1, Math.floor(chars));
  const parts: string[] = [opener(rng)];
  let len = parts[0]!.length;
  while (len < n) {
    const s = sentence(rng);
    parts.push(s);
    len += s.length + 1;
  }
  let text = parts.join(' ').slice(0, n);
  if (text.endsWith(' ')) text = `${text.slice(0, -1)}.`;
  return text;
}
