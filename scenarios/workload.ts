/**
 * The workload generator: iteration i of a spec, planned alone and deterministically from
 * (workload.seed, i), so the native driver, a k6 VU or one of N split runners all agree on it.
 * An iteration is one request, or — for a class with `conversation` — a conversation whose
 * later turns resend the history with the answer actually received (`nextTurn`).
 * Pure TS (k6-safe).
 */
import { sample, sampleInt } from '../core/distributions.js';
import { deriveSeed, Rng } from '../core/random.js';
import { chatPromptTokens } from '../core/tokens.js';
import type { RequestClass } from './class-schema.js';
import { firstTurn, followUpText, type ChatMessage } from './prompt-source.js';
import type { Spec } from './spec-schema.js';
import { clientRegionOf, nearestGateway } from './topology.js';

export { buildMessages, type ChatMessage } from './prompt-source.js';

/** The OpenAI Chat Completions request body the runners send. */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  max_tokens: number;
  stream: boolean;
  stream_options?: { include_usage: true };
}

/** Tags every sample of the request carries (k6 tags are strings). Optional ones only when the class sets them. */
export interface RequestTags {
  scenario: string;
  class: string;
  model: string;
  stream: 'true' | 'false';
  [key: string]: string;
}

export interface ConversationPlan {
  /** `x-stormlab-conversation`: `<spec.name>-<index>` */
  id: string;
  /** 0-based turn of this request */
  turn: number;
  /** user turns in the whole conversation */
  turns: number;
  /** pause before the NEXT turn, ms */
  thinkTimeMs: number;
}

export interface PlannedRequest {
  /** iteration (schedule position) this request belongs to */
  index: number;
  /** `x-request-id` for ledger correlation: `<spec.name>-<index>`, later turns `<spec.name>-<index>.<turn>` */
  id: string;
  className: string;
  model: string;
  stream: boolean;
  /** prompt tokens: drawn (generated) or of the chosen text; later turns: of the whole history */
  promptTokens: number;
  maxTokens: number;
  body: ChatRequestBody;
  /** headers the class asks for (tenant, key, priority, …); the runner adds content-type and x-request-id */
  headers: Record<string, string>;
  tags: RequestTags;
  /** intent label of a family or dataset prompt */
  intent?: string;
  /** provider regions allowed to serve it (residency) */
  allowedRegions?: string[];
  conversation?: ConversationPlan;
}

/** The k6 scenario name (and `scenario` tag) for a spec: k6 allows only [0-9A-Za-z_-]. */
export function scenarioName(spec: Pick<Spec, 'name'>): string {
  return spec.name.replace(/[^0-9A-Za-z_-]/g, '_');
}

/** The `x-request-id` of iteration `index`, turn `turn`. */
export function requestId(spec: Pick<Spec, 'name'>, index: number, turn = 0): string {
  return turn === 0 ? `${spec.name}-${index}` : `${spec.name}-${index}.${turn}`;
}

/** Inverse of `requestId` for this spec; undefined for ids it did not make. */
export function parseRequestId(spec: Pick<Spec, 'name'>, id: string): { index: number; turn: number } | undefined {
  const prefix = `${spec.name}-`;
  if (!id.startsWith(prefix)) return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(id.slice(prefix.length));
  return m ? { index: Number(m[1]), turn: m[2] ? Number(m[2]) : 0 } : undefined;
}

/** The intent of the request an id names (a gateway's `x-stormlab-cache-source`), when this spec made it. */
export function intentOfRequestId(spec: Spec, id: string): string | undefined {
  const r = parseRequestId(spec, id);
  return r ? planRequest(spec, r.index).intent : undefined;
}

/** Headers a class sends: its API key, tenant, feature, tier, priority, residency zone, extras. */
export function classHeaders(cls: RequestClass): Record<string, string> {
  const h: Record<string, string> = { ...cls.headers };
  if (cls.apiKey) h.authorization = `Bearer ${cls.apiKey}`;
  if (cls.tenant) h['x-stormlab-tenant'] = cls.tenant;
  if (cls.feature) h['x-stormlab-feature'] = cls.feature;
  if (cls.tier) h['x-stormlab-tier'] = cls.tier;
  if (cls.priority) h['x-stormlab-priority'] = cls.priority;
  if (cls.residency) h['x-stormlab-residency'] = cls.residency.zone;
  return h;
}

function classTags(spec: Spec, cls: RequestClass, stream: boolean, intent: string | undefined): RequestTags {
  const tags: RequestTags = { scenario: scenarioName(spec), class: cls.name, model: cls.model, stream: stream ? 'true' : 'false' };
  if (cls.tenant) tags.tenant = cls.tenant;
  if (cls.feature) tags.feature = cls.feature;
  if (cls.tier) tags.tier = cls.tier;
  if (cls.priority) tags.priority = cls.priority;
  if (cls.residency) tags.residency = cls.residency.zone;
  if (intent) tags.intent = intent;
  if (spec.topology) {
    tags.client_region = clientRegionOf(spec.topology, cls);
    tags.gateway_region = nearestGateway(spec.topology, tags.client_region);
  }
  return tags;
}

function classOf(spec: Spec, index: number): { cls: RequestClass; rng: Rng } {
  const rng = new Rng(deriveSeed(spec.workload.seed, 'request', index));
  return { cls: rng.weighted(spec.workload.classes, (c) => c.weight), rng };
}

/** Plan iteration `index` (0-based position in the schedule): its first (often only) request. */
export function planRequest(spec: Spec, index: number): PlannedRequest {
  const { cls, rng } = classOf(spec, index);
  const stream = rng.chance(cls.streamRatio);
  const drawn = cls.prompt.source === 'generated' && cls.promptTokens ? sampleInt(cls.promptTokens, rng) : undefined;
  const maxTokens = sampleInt(cls.maxTokens, rng);
  const first = firstTurn(cls, new Rng(deriveSeed(spec.workload.seed, 'text', index)), index, drawn);
  const body: ChatRequestBody = { model: cls.model, messages: first.messages, max_tokens: maxTokens, stream };
  if (stream) body.stream_options = { include_usage: true };
  const plan: PlannedRequest = {
    index,
    id: requestId(spec, index),
    className: cls.name,
    model: cls.model,
    stream,
    promptTokens: first.promptTokens,
    maxTokens,
    body,
    headers: classHeaders(cls),
    tags: classTags(spec, cls, stream, first.intent),
  };
  if (first.intent) plan.intent = first.intent;
  if (cls.residency) plan.allowedRegions = cls.residency.regions;
  if (cls.conversation) {
    const crng = new Rng(deriveSeed(spec.workload.seed, 'conversation', index));
    const turns = sampleInt(cls.conversation.turns, crng);
    plan.conversation = { id: requestId(spec, index), turn: 0, turns, thinkTimeMs: Math.max(0, sample(cls.conversation.thinkTimeMs, crng)) };
    plan.headers['x-stormlab-conversation'] = plan.conversation.id;
    plan.tags.turn = '0';
  }
  return plan;
}

/** Is there a turn after `prev`? */
export function hasNextTurn(prev: PlannedRequest): boolean {
  return prev.conversation !== undefined && prev.conversation.turn + 1 < prev.conversation.turns;
}

/**
 * The next turn of a conversation: the history, the answer `prev` actually received, and a new
 * seeded follow-up question. Call only when `hasNextTurn(prev)`.
 */
export function nextTurn(spec: Spec, prev: PlannedRequest, answer: string): PlannedRequest {
  const conv = prev.conversation;
  if (!conv) throw new RangeError(`request ${prev.id} is not part of a conversation`);
  const cls = spec.workload.classes.find((c) => c.name === prev.className);
  if (!cls?.conversation) throw new RangeError(`class ${prev.className} has no conversation settings`);
  const turn = conv.turn + 1;
  const rng = new Rng(deriveSeed(spec.workload.seed, 'turn', prev.index, turn));
  const question = followUpText(rng, sampleInt(cls.conversation.followUpTokens, rng));
  const messages: ChatMessage[] = [...prev.body.messages, { role: 'assistant', content: answer }, { role: 'user', content: question }];
  const maxTokens = sampleInt(cls.maxTokens, rng);
  const body: ChatRequestBody = { ...prev.body, messages, max_tokens: maxTokens };
  const promptTokens = chatPromptTokens(messages);
  return {
    ...prev,
    id: requestId(spec, prev.index, turn),
    promptTokens,
    maxTokens,
    body,
    tags: { ...prev.tags, turn: String(turn) },
    conversation: { ...conv, turn, thinkTimeMs: Math.max(0, sample(cls.conversation.thinkTimeMs, rng)) },
  };
}
