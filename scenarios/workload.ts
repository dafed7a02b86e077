/**
 * The workload generator: request i of a spec, planned alone and deterministically from
 * (workload.seed, i), so the native driver, a k6 VU or one of N split runners all agree on it.
 * Pure TS (k6-safe).
 */
import { sampleInt } from '../core/distributions.js';
import { deriveSeed, Rng } from '../core/random.js';
import { chatPromptTokens, CHARS_PER_TOKEN, estimateTokens } from '../core/tokens.js';
import { proseOfLength } from './prompt-text.js';
import type { RequestClass, Spec } from './spec-schema.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The OpenAI Chat Completions request body the runners send. */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  max_tokens: number;
  stream: boolean;
  stream_options?: { include_usage: true };
}

/** Tags every sample of the request carries (k6 tags are strings). */
export interface RequestTags {
  scenario: string;
  class: string;
  model: string;
  stream: 'true' | 'false';
  [key: string]: string;
}

export interface PlannedRequest {
  index: number;
  /** `x-request-id` for ledger correlation: `<spec.name>-<index>` */
  id: string;
  className: string;
  model: string;
  stream: boolean;
  /** prompt tokens drawn from the class distribution (the body's estimate is ≈ this, never below the message overhead) */
  promptTokens: number;
  maxTokens: number;
  body: ChatRequestBody;
  tags: RequestTags;
}

const SYSTEM_PROMPTS = [
  'You are a helpful assistant.',
  'You are a concise assistant. Answer in a few sentences.',
  'You are a support agent for a software company. Be accurate and polite.',
  'You are an analyst. Give structured, factual answers.',
];
const SHORT_SYSTEM = 'Be brief.';

/** The k6 scenario name (and `scenario` tag) for a spec: k6 allows only [0-9A-Za-z_-]. */
export function scenarioName(spec: Pick<Spec, 'name'>): string {
  return spec.name.replace(/[^0-9A-Za-z_-]/g, '_');
}

/** The `x-request-id` of request `index`. */
export function requestId(spec: Pick<Spec, 'name'>, index: number): string {
  return `${spec.name}-${index}`;
}

/** Plan request `index` (0-based iteration in the test) of a spec. */
export function planRequest(spec: Spec, index: number): PlannedRequest {
  const seed = spec.workload.seed;
  const rng = new Rng(deriveSeed(seed, 'request', index));
  const cls: RequestClass = rng.weighted(spec.workload.classes, (c) => c.weight);
  const stream = rng.chance(cls.streamRatio);
  const promptTokens = sampleInt(cls.promptTokens, rng);
  const maxTokens = sampleInt(cls.maxTokens, rng);
  const messages = buildMessages(new Rng(deriveSeed(seed, 'text', index)), promptTokens);
  const body: ChatRequestBody = { model: cls.model, messages, max_tokens: maxTokens, stream };
  if (stream) body.stream_options = { include_usage: true };
  return {
    index,
    id: requestId(spec, index),
    className: cls.name,
    model: cls.model,
    stream,
    promptTokens,
    maxTokens,
    body,
    tags: { scenario: scenarioName(spec), class: cls.name, model: cls.model, stream: stream ? 'true' : 'false' },
  };
}

/** A system and a user message whose `chatPromptTokens` equals `promptTokens` (or the minimum overhead). */
export function buildMessages(rng: Rng, promptTokens: number): ChatMessage[] {
  const choice = SYSTEM_PROMPTS[Math.floor(rng.uniform() * SYSTEM_PROMPTS.length)] as string;
  // keep the system prompt at most a third of the budget; tiny budgets get the shortest one
  const system = estimateTokens(choice) * 3 <= promptTokens ? choice : SHORT_SYSTEM;
  const overhead = chatPromptTokens([{ content: system }, { content: '' }]);
  const userTokens = Math.max(1, promptTokens - overhead);
  const user = proseOfLength(rng, userTokens * CHARS_PER_TOKEN);
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
