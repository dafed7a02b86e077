/**
 * The names of the wire formats the mock speaks. Kept apart from the format units so the fleet
 * schema can validate `format:` without importing any HTTP code; formats/index.ts maps every
 * name here to its unit (the compiler refuses a name without one).
 */
export const FORMAT_NAMES = ['openai', 'anthropic', 'gemini'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Formats with an embeddings route (a provider of another format cannot declare `embeddings`). */
export const FORMATS_WITH_EMBEDDINGS: readonly FormatName[] = ['openai', 'gemini'];
