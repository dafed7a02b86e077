/**
 * Seeded documents that `document` families attach to their instruction (meeting notes, incident
 * reports, reviews, email threads, code), each drawn to a realistic length: lognormal token
 * counts with the long right tail real prompts have. Used only by the data generator.
 */
import { sampleInt } from '../../core/distributions.js';
import type { Rng } from '../../core/random.js';
import { CHARS_PER_TOKEN } from '../../core/tokens.js';
import type { Dist } from '../../core/dist-schema.js';
import { sentence } from '../prompt-text.js';

export type DocumentKind = 'meeting-notes' | 'incident' | 'review' | 'email-thread' | 'code';

/** Token lengths per kind. */
export const DOCUMENT_LENGTHS: Record<DocumentKind, Dist> = {
  'meeting-notes': { dist: 'lognormal', median: 650, sigma: 0.5, min: 200, max: 3000 },
  incident: { dist: 'lognormal', median: 1100, sigma: 0.45, min: 400, max: 4000 },
  review: { dist: 'lognormal', median: 140, sigma: 0.6, min: 30, max: 800 },
  'email-thread': { dist: 'lognormal', median: 380, sigma: 0.5, min: 120, max: 2000 },
  code: { dist: 'lognormal', median: 220, sigma: 0.3, min: 120, max: 600 },
};

const PEOPLE = ['Priya', 'Marcus', 'Elena', 'Tomás', 'Aiko', 'Jonas', 'Fatima', 'Wei', 'Grace', 'Olu', 'Sven', 'Leila'];
const TOPICS = ['the Q3 roadmap', 'the billing migration', 'on-call load', 'the EU data center', 'pricing for the Pro plan', 'the mobile release', 'support backlog', 'the SSO integration'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'next week', 'end of month'];
const TASKS = ['draft the rollout plan', 'update the runbook', 'send the customer update', 'review the cost report', 'fix the flaky tests', 'book the vendor call', 'write the migration script', 'publish the release notes'];
const SERVICES = ['api-gateway', 'billing-worker', 'search-indexer', 'auth-service', 'payments-api', 'notification-queue'];
const PRODUCTS = ['the wireless headphones', 'the standing desk', 'the coffee grinder', 'the travel backpack', 'the smart thermostat'];
const REVIEW_BITS = [
  'Setup took five minutes and it worked right away.', 'The build quality feels cheap for the price.', 'Battery life is better than advertised.',
  'Customer support never answered my emails.', 'It arrived two days late but well packed.', 'I use it every day and it still looks new.',
  'The manual is confusing and half of it is missing.', 'Honestly the best purchase I made this year.', 'It stopped working after a month.',
  'Good value, although the app could be simpler.',
];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng.uniform() * list.length)] as T;
}

/** Append lines from `next` until the text reaches `chars`. */
function grow(chars: number, head: string, next: () => string): string {
  const lines = [head];
  let len = head.length;
  while (len < chars) {
    const l = next();
    lines.push(l);
    len += l.length + 1;
  }
  return lines.join('\n');
}

function meetingNotes(rng: Rng, chars: number): string {
  const topic = pick(rng, TOPICS);
  const head = `Meeting notes — ${topic}\nAttendees: ${[pick(rng, PEOPLE), pick(rng, PEOPLE), pick(rng, PEOPLE)].join(', ')}\n`;
  return grow(chars, head, () => {
    const r = rng.uniform();
    if (r < 0.35) return `- ACTION: ${pick(rng, PEOPLE)} to ${pick(rng, TASKS)} by ${pick(rng, DAYS)}.`;
    if (r < 0.5) return `- DECISION: we go ahead with ${pick(rng, TOPICS)} as discussed.`;
    return `- ${pick(rng, PEOPLE)}: ${sentence(rng)}`;
  });
}

function incident(rng: Rng, chars: number): string {
  const svc = pick(rng, SERVICES);
  const head = `Incident report: ${svc} degraded\nSeverity: SEV-${rng.int(1, 3)}\nDuration: ${rng.int(12, 180)} minutes\n\nTimeline:`;
  let minute = 0;
  return grow(chars, head, () => {
    minute += rng.int(1, 9);
    const hh = String(14 + Math.floor(minute / 60)).padStart(2, '0');
    const mm = String(minute % 60).padStart(2, '0');
    const r = rng.uniform();
    if (r < 0.3) return `${hh}:${mm} UTC — error rate on ${svc} at ${rng.int(2, 60)}%, p99 latency ${rng.int(800, 9000)} ms.`;
    if (r < 0.45) return `${hh}:${mm} UTC — ${pick(rng, PEOPLE)} rolled back ${pick(rng, SERVICES)} to the previous build.`;
    return `${hh}:${mm} UTC — ${sentence(rng)}`;
  });
}

function review(rng: Rng, chars: number): string {
  const head = `Review of ${pick(rng, PRODUCTS)} (${rng.int(1, 5)}/5 stars):`;
  return grow(chars, head, () => (rng.chance(0.6) ? pick(rng, REVIEW_BITS) : sentence(rng)));
}

function emailThread(rng: Rng, chars: number): string {
  const customer = pick(rng, PEOPLE);
  const head = `From: ${customer} <${customer.toLowerCase()}@example.com>\nSubject: Order #${rng.int(10000, 99999)} still not here\n\nHi,`;
  return grow(chars, head, () => {
    if (rng.chance(0.12)) return `\n> On ${pick(rng, DAYS)}, support wrote:\n> ${sentence(rng)}`;
    return sentence(rng);
  });
}

function code(rng: Rng, chars: number): string {
  const name = pick(rng, ['average_latency', 'mean_order_value', 'avg_response_time', 'mean_score']);
  const head = `def ${name}(values):\n    """Return the mean of a list of numbers."""\n    total = 0\n    for i in range(1, len(values)):\n        total += values[i]\n    return total / len(values)\n`;
  return grow(chars, head, () => {
    const v = pick(rng, ['samples', 'rows', 'items', 'batch']);
    return `\n# usage\n${v} = [${Array.from({ length: rng.int(3, 8) }, () => rng.int(1, 500)).join(', ')}]\nprint(${name}(${v}))`;
  });
}

const WRITERS: Record<DocumentKind, (rng: Rng, chars: number) => string> = {
  'meeting-notes': meetingNotes,
  incident,
  review,
  'email-thread': emailThread,
  code,
};

/** One document of `kind`, its length drawn from DOCUMENT_LENGTHS (cut at a line end). */
export function makeDocument(rng: Rng, kind: DocumentKind): string {
  const tokens = sampleInt(DOCUMENT_LENGTHS[kind], rng);
  return WRITERS[kind](rng, tokens * CHARS_PER_TOKEN);
}
