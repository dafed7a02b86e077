/**
 * Generates the shipped workload data from the hand-written seeds, deterministically:
 *   npx tsx scenarios/data/generate.ts          (rewrites the files below)
 *   npx tsx scenarios/data/generate.ts --check  (exit 1 if the committed files are stale)
 *
 * - scenarios/data/prompt-families.json: paraphrase families with intent labels (and documents
 *   of realistic, lognormal lengths for the `document` families, shared by hard-negative pairs);
 * - scenarios/data/datasets/support-tickets.jsonl: a small dataset in the `dataset` prompt-source
 *   format (`{"prompt", "intent"}` per line), for specs that replay a file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deriveSeed, Rng } from '../../core/random.js';
import type { PromptFamiliesFile, PromptFamily } from '../families.js';
import { makeDocument, type DocumentKind } from './documents.js';
import { CLOSERS, FAMILY_SEEDS, OPENERS, type FamilySeed } from './family-seeds.js';

export const DATA_SEED = 20260401;
const PARAPHRASES = 8;
/** documents per document kind: each document family becomes this many families (a, b, c) */
const DOC_VARIANTS = ['a', 'b', 'c'] as const;

export const FAMILIES_FILE = fileURLToPath(new URL('./prompt-families.json', import.meta.url));
export const TICKETS_FILE = fileURLToPath(new URL('./datasets/support-tickets.jsonl', import.meta.url));

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
    const base = { domain: s.domain, kind: s.kind, paraphrases: paraphrases(s) };
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
    lines.push(JSON.stringify({ prompt: `${p}${detail}${urgency}`, intent: f.intent }));
  }
  return `${lines.join('\n')}\n`;
}

function main(): number {
  const families = generateFamilies();
  const outputs: Array<[string, string]> = [
    [FAMILIES_FILE, `${JSON.stringify(families, null, 1)}\n`],
    [TICKETS_FILE, generateTickets(families)],
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
