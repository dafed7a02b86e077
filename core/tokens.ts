/**
 * The one token estimate the whole lab agrees on (mock usage, workload sizing, gateway budgets):
 * about four characters of English per token, as OpenAI's rule of thumb. Pure TS (k6-safe).
 */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Prompt tokens of a chat request: content tokens plus a small per-message overhead, as OpenAI counts. */
export function chatPromptTokens(messages: ReadonlyArray<{ content: string }>): number {
  let n = 3;
  for (const m of messages) n += 4 + estimateTokens(m.content);
  return n;
}
