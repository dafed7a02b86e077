/**
 * Generates the shipped workload data from the hand-written seeds, deterministically:
 *   npx tsx scenarios/data/generate.ts          (rewrites the files below)
 *   npx tsx scenarios/data/generate.ts --check  (exit 1 if the committed files are stale)
 *
 * - scenarios/data/prompt-families.json: paraphrase families with intent labels (and documents
 *   of realistic, lognormal lengths for the `document` families, shared by hard-negative pairs);
 * - scenarios/data/datasets/support-tickets.jsonl: a small dataset in the `dataset` prompt-source
 *   format (`{"prompt", "intent", "difficulty"}` per line), for specs that replay a file;
 * - scenarios/data/difficulty.json: the difficulty of every shipped user prompt, keyed by
 *   core/prompt-key (the mock fleet's quality model loads it; the prompts carry no marker).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promptKey } from '../../core/prompt-key.js';
import { deriveSeed, Rng } from '../../core/random.js';
import { familyUserTextOf, type PromptFamiliesFile, type PromptFamily } from '../families.js';
import { makeDocument, type DocumentKind } from './documents.js';
import { CLOSERS, FAMILY_SEEDS, OPENERS, type FamilySeed } from './family-seeds.js';

export const DATA_SEED = 20260401;
const PARAPHRASES = 8;
/** documents per document kind: each document family becomes this many families (a, b, c) */
const DOC_VARIANTS = ['a', 'b', 'c'] as const;

export const FAMILIES_FILE = fileURLToPath(new URL('./prompt-families.json', import.meta.url));
export const TICKETS_FILE = fileURLToPath(new URL('./datasets/support-tickets.jsonl', import.meta.url));
export const DIFFICULTY_FILE = fileURLToPath(new URL('./difficulty.json', import.meta.url));

function paraphrases(seed: FamilySeed): string[] {
  const rng = new Rng(deriveSeed(DATA_SEED, 'paraphrase', seed.id));
  const out = new Set<string>(seed.cores.slice(0, PARAPHRASES));
  for (let tries = 0; out.size < PARAPHRASES && tries < 500; tries++) {
    const core = seed.cores[Math.floor(rng.uniform() * seed.cores.length)]!;
    const opener = OPENERS[Math.floor(rng.uniform() * OPENERS.length)]!;
    const closer = CLOSERS[Math.floor(rng.uniform() * CLOSERS.length)]!;
    const joined = /[,:] $/.test(opener) ? core.charAt(0).toLowerCase() + core.slice(1) : core;
    out.add(`${opener}${joined}${closer}`);
  }
  return [...out];
}

export function generateFamilies(): PromptFamiliesFile {
  const documents: Record<string, string> = {};
  const docId = (kind: DocumentKind, v: string): string => {
    const id = `${kind}-${v}`;
    documents[id] ??= makeDocument(new Rng(deriveSeed(DATA_SEED, 'document', id)), kind);
    return id;
  };
  const families: PromptFamily[] = [];
  for (const s of FAMILY_SEEDS) {
    const base = { domain: s.domain, kind: s.kind, difficulty: s.difficulty, paraphrases: paraphrases(s) };
    const extra = { ...(s.pair ? { pair: s.pair } : {}), ...(s.system ? { system: s.system } : {}) };
    if (!s.document) {
      families.push({ id: s.id, intent: s.intent, ...base, ...extra });
      continue;
    }
    for (const v of DOC_VARIANTS) {
      families.push({ id: `${s.id}-${v}`, intent: `${s.intent}:${v}`, ...base, ...extra, document: docId(s.document, v) });
    }
  }
  return { version: 1, seed: DATA_SEED, families, documents };
}

export function generateTickets(file: PromptFamiliesFile, count = 120): string {
  const rng = new Rng(deriveSeed(DATA_SEED, 'tickets'));
  const support = file.families.filter((f) => f.domain === 'support');
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const f = support[Math.floor(rng.uniform() * support.length)]!;
    const p = f.paraphrases[Math.floor(rng.uniform() * f.paraphrases.length)]!;
    const detail = rng.chance(0.6) ? ` My account id is AC-${rng.int(100000, 999999)}.` : '';
    const urgency = rng.chance(0.2) ? ' This is urgent, our team is blocked.' : '';
    lines.push(JSON.stringify({ prompt: `${p}${detail}${urgency}`, intent: f.intent, difficulty: f.difficulty }));
  }
  return `${lines.join('\n')}\n`;
}

/** One row of the difficulty table: the prompt's key, its difficulty, and where it comes from (for people). */
export interface DifficultyRow {
  key: string;
  difficulty: number;
  source: string;
}

export interface DifficultyTable {
  version: 1;
  /** how `key` is made */
  key: string;
  prompts: DifficultyRow[];
}

/**
 * Every shipped user prompt (each paraphrase of each family, with its document; each dataset line)
 * with its difficulty. Throws when two different prompts share a key.
 */
export function generateDifficulty(file: PromptFamiliesFile, ticketsJsonl: string): DifficultyTable {
  const rows = new Map<string, DifficultyRow & { text: string }>();
  const add = (text: string, difficulty: number | undefined, source: string): void => {
    if (difficulty === undefined) throw new Error(`no difficulty for ${source}`);
    const key = promptKey(text);
    const seen = rows.get(key);
    if (seen && seen.text !== text) throw new Error(`prompt key collision: ${seen.source} and ${source}`);
    if (!seen) rows.set(key, { key, difficulty, source, text });
  };
  for (const f of file.families) f.paraphrases.forEach((_, p) => add(familyUserTextOf(file, f, p), f.difficulty, `family ${f.id} #${p}`));
  ticketsJsonl
    .split('\n')
    .filter((l) => l !== '')
    .forEach((l, i) => {
      const t = JSON.parse(l) as { prompt: string; difficulty?: number };
      add(t.prompt, t.difficulty, `support-tickets line ${i + 1}`);
    });
  const prompts = [...rows.values()].map(({ key, difficulty, source }) => ({ key, difficulty, source }));
  return { version: 1, key: 'FNV-1a 32-bit of the user text, whitespace folded (core/prompt-key.ts)', prompts };
}

/** The table as written: one row per line, so diffs stay readable. */
export function difficultyJson(t: DifficultyTable): string {
  const rows = t.prompts.map((r) => `  ${JSON.stringify(r)}`).join(',\n');
  return `{"version": ${t.version}, "key": ${JSON.stringify(t.key)}, "prompts": [\n${rows}\n]}\n`;
}

function main(): number {
  const families = generateFamilies();
  const tickets = generateTickets(families);
  const outputs: Array<[string, string]> = [
    [FAMILIES_FILE, `${JSON.stringify(families, null, 1)}\n`],
    [TICKETS_FILE, tickets],
    [DIFFICULTY_FILE, difficultyJson(generateDifficulty(families, tickets))],
  ];
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of outputs) {
    if (check) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (current !== text) {
        stale++;
        process.stderr.write(`stale: ${file} (run npx tsx scenarios/data/generate.ts)\n`);
      }
    } else {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${file} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB)\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
