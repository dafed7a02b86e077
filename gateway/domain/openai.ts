/**
 * The OpenAI Chat Completions shapes the front door speaks. Every upstream format decodes into
 * these, so the rest of the gateway knows one response shape.
 */

/** OpenAI `usage`, plus the gateway's own `cost_usd`. */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
  cost_usd?: number;
}

/** One token's log-probability (OpenAI `choices[].logprobs.content[]`). */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: Array<{ token: string; logprob: number; bytes?: number[] | null }>;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  system_fingerprint?: string | null;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; [k: string]: unknown };
    finish_reason: string | null;
    logprobs?: { content: TokenLogprob[] | null } | null;
  }>;
  usage?: OpenAIUsage;
  [k: string]: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint?: string | null;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string | null; [k: string]: unknown };
    finish_reason: string | null;
    logprobs?: { content: TokenLogprob[] | null } | null;
  }>;
  usage?: OpenAIUsage | null;
  [k: string]: unknown;
}

/** The one error body on the wire. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}
