/**
 * The shipped prompt families (scenarios/data/prompt-families.json, made by
 * scenarios/data/generate.ts): paraphrases of one request under one intent label. Pure TS
 * (k6-safe): the JSON is imported, so esbuild inlines it into every k6 bundle.
 */
import data from './data/prompt-families.json' with { type: 'json' };

export interface PromptFamily {
  id: string;
  /** requests with the same intent may share an answer; a cache hit across intents is a false hit */
  intent: string;
  domain: string;
  kind: string;
  /** 0 (a lookup) … 1 (multi-step reasoning); see scenarios/data/difficulty.json */
  difficulty?: number;
  /** hard-negative partner families (worded alike, meaning something else) share this */
  pair?: string;
  system?: string;
  /** id of the attached document in `documents` */
  document?: string;
  /** paraphrases[0] is the canonical wording */
  paraphrases: string[];
}

export interface PromptFamiliesFile {
  version: number;
  seed: number;
  families: PromptFamily[];
  documents: Record<string, string>;
}

export const PROMPT_FAMILIES: PromptFamiliesFile = data as PromptFamiliesFile;

/** Every family id and every intent, for validation messages. */
export function familyIds(): string[] {
  return PROMPT_FAMILIES.families.map((f) => f.id);
}

/**
 * The families a selector names: an exact id, an intent, a domain (`support`), a pair name
 * (`cancel`: both hard negatives) or a prefix ending in `*` (`summarize-*`). Order follows the
 * file. No selector: all of them.
 */
export function selectFamilies(selectors?: readonly string[]): PromptFamily[] {
  const all = PROMPT_FAMILIES.families;
  if (!selectors || selectors.length === 0) return all;
  return all.filter((f) => selectors.some((s) => matches(f, s)));
}

function matches(f: PromptFamily, s: string): boolean {
  if (s.endsWith('*')) return f.id.startsWith(s.slice(0, -1));
  return f.id === s || f.intent === s || f.domain === s || f.pair === s;
}

/** Selectors that match no family (for a clear validation error). */
export function unknownSelectors(selectors: readonly string[]): string[] {
  return selectors.filter((s) => !PROMPT_FAMILIES.families.some((f) => matches(f, s)));
}

/** The user message of paraphrase `p` of a family: the wording, then its document if any. */
export function familyUserText(f: PromptFamily, p: number): string {
  return familyUserTextOf(PROMPT_FAMILIES, f, p);
}

/** The same, from a families file other than the shipped one (the generator's fresh output). */
export function familyUserTextOf(file: PromptFamiliesFile, f: PromptFamily, p: number): string {
  const wording = f.paraphrases[p] ?? f.paraphrases[0]!;
  const doc = f.document ? file.documents[f.document] : undefined;
  return doc ? `${wording}\n\n${doc}` : wording;
}
