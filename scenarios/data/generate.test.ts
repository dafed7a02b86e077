import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../core/tokens.js';
import { PROMPT_FAMILIES } from '../families.js';
import { promptKey } from '../../core/prompt-key.js';
import { familyUserText, PROMPT_FAMILIES as SHIPPED } from '../families.js';
import { DIFFICULTY_FILE, difficultyJson, FAMILIES_FILE, generateDifficulty, generateFamilies, generateTickets, TICKETS_FILE, type DifficultyTable } from './generate.js';

describe('shipped workload data', () => {
  it('is what the seeded generator makes (regenerate with: npx tsx scenarios/data/generate.ts)', () => {
    const families = generateFamilies();
    expect(readFileSync(FAMILIES_FILE, 'utf8')).toBe(`${JSON.stringify(families, null, 1)}\n`);
    expect(readFileSync(TICKETS_FILE, 'utf8')).toBe(generateTickets(families));
    expect(readFileSync(DIFFICULTY_FILE, 'utf8')).toBe(difficultyJson(generateDifficulty(families, generateTickets(families))));
  });

  it('gives every shipped prompt a difficulty: FAQ lookups easy, multi-step reasoning and analysis hard', () => {
    const table = JSON.parse(readFileSync(DIFFICULTY_FILE, 'utf8')) as DifficultyTable;
    const byKey = new Map(table.prompts.map((r) => [r.key, r.difficulty]));
    const of = (id: string, p = 0): number | undefined => byKey.get(promptKey(familyUserText(SHIPPED.families.find((f) => f.id === id)!, p)));
    expect(of('shipping-time')).toBeLessThanOrEqual(0.15);
    expect(of('capital-austria', 3)).toBeLessThanOrEqual(0.15);
    expect(of('incident-root-cause-b', 2)).toBeGreaterThanOrEqual(0.85);
    expect(of('capacity-estimate', 1)).toBeGreaterThanOrEqual(0.8);
    for (const f of SHIPPED.families) expect(f.difficulty, f.id).toBeGreaterThanOrEqual(0);
    const tickets = readFileSync(TICKETS_FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { prompt: string; difficulty: number });
    for (const t of tickets) expect(byKey.get(promptKey(t.prompt))).toBe(t.difficulty);
  });

  it('has paraphrase families with unique intents, hard-negative pairs and realistic document lengths', () => {
    const fams = PROMPT_FAMILIES.families;
    expect(fams.length).toBeGreaterThanOrEqual(40);
    expect(new Set(fams.map((f) => f.id)).size).toBe(fams.length);
    expect(new Set(fams.map((f) => f.intent)).size).toBe(fams.length);
    for (const f of fams) {
      expect(new Set(f.paraphrases).size, f.id).toBe(f.paraphrases.length);
      expect(f.paraphrases.length, f.id).toBeGreaterThanOrEqual(4);
    }
    const pairs = new Map<string, string[]>();
    for (const f of fams) if (f.pair) pairs.set(f.pair, [...(pairs.get(f.pair) ?? []), f.intent]);
    expect(pairs.size).toBeGreaterThanOrEqual(8);
    for (const intents of pairs.values()) expect(new Set(intents).size).toBeGreaterThanOrEqual(2);
    const docTokens = Object.values(PROMPT_FAMILIES.documents).map(estimateTokens).sort((a, b) => a - b);
    expect(docTokens[0]!).toBeGreaterThanOrEqual(30); // a short review
    expect(docTokens.at(-1)!).toBeGreaterThanOrEqual(1000); // a long incident report
    expect(Buffer.byteLength(readFileSync(FAMILIES_FILE))).toBeLessThan(200 * 1024); // small
  });
});
