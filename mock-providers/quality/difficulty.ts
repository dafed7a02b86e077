/**
 * Prompt difficulties: the files the fleet's `quality.difficulties` names (default: the shipped
 * table scenarios/data/difficulty.json, read as data — nothing of scenarios/ is imported), keyed
 * by core/prompt-key. A prompt no file lists gets a difficulty drawn from
 * `quality.unknownDifficulty` with a seed made of its own text: the same prompt, the same
 * difficulty, whatever the fleet seed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { zodToStormlab } from '../../core/config-file.js';
import type { Dist } from '../../core/dist-schema.js';
import { sample } from '../../core/distributions.js';
import { StormlabError } from '../../core/errors.js';
import { promptKey } from '../../core/prompt-key.js';
import { hash32, Rng } from '../../core/random.js';

export const SHIPPED_DIFFICULTIES = fileURLToPath(new URL('../../scenarios/data/difficulty.json', import.meta.url));

const difficulty = z.number().min(0).max(1);
const TableSchema = z.object({
  prompts: z.array(
    z.object({ key: z.string().regex(/^[0-9a-f]{8}$/, { message: '8 hex digits (core/prompt-key)' }), difficulty }),
  ),
});
const ItemSchema = z.object({ prompt: z.string().min(1), difficulty });

/** prompt key → difficulty */
export type DifficultyTable = Map<string, number>;

/** A difficulty file's content: a table, or items each with where it sits (`[3]`, `line 4`). */
type Content = { table: unknown } | { items: Array<[string, unknown]> };

function readContent(file: string): Content {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read difficulty file ${file}${code ? ` (${code})` : ''}`, [
      { file, path: 'quality.difficulties', expected: 'a readable difficulty table or {prompt, difficulty} dataset' },
    ]);
  }
  const lines = text.split('\n');
  if (lines.filter((l) => l.trim() !== '').length > 1 || !text.trimStart().startsWith('{')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (Array.isArray(v)) return { items: v.map((item, i) => [`[${i}]`, item]) };
      return { table: v };
    } catch {
      // JSONL: one item per line
    }
  }
  const items: Array<[string, unknown]> = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      items.push([`line ${i + 1}`, JSON.parse(line) as unknown]);
    } catch {
      const expected = 'a JSON table, a JSON array or JSONL of {prompt, difficulty}';
      throw new StormlabError('SL_CONFIG_PARSE', `${file} line ${i + 1} is not JSON`, [{ file, path: `line ${i + 1}`, expected }]);
    }
  });
  // one line that is not a {prompt} item: a table written on one line
  const only = items.length === 1 ? items[0]![1] : undefined;
  if (only !== null && typeof only === 'object' && !('prompt' in only)) return { table: only };
  return { items };
}

/** Read difficulty files into one table; later files win on the same prompt. Errors name the file and the item. */
export function loadDifficulties(files: readonly string[]): DifficultyTable {
  const table: DifficultyTable = new Map();
  for (const file of files) {
    const c = readContent(file);
    if ('items' in c) {
      for (const [where, item] of c.items) {
        const r = ItemSchema.safeParse(item);
        if (!r.success) throw prefixed(zodToStormlab(r.error, file, 'difficulty item'), where);
        table.set(promptKey(r.data.prompt), r.data.difficulty);
      }
      continue;
    }
    const r = TableSchema.safeParse(c.table);
    if (!r.success) throw zodToStormlab(r.error, file, 'difficulty table');
    for (const row of r.data.prompts) table.set(row.key, row.difficulty);
  }
  return table;
}

function prefixed(e: StormlabError, where: string): StormlabError {
  return new StormlabError(e.code, e.message, e.details.map((d) => ({ ...d, path: `${where}.${d.path}` })));
}

/** The difficulty of one prompt (its `promptKey`): the table's, or a draw from `unknown` seeded by the key. */
export function difficultyOf(table: DifficultyTable, unknown: Dist, key: string): { difficulty: number; known: boolean } {
  const listed = table.get(key);
  if (listed !== undefined) return { difficulty: listed, known: true };
  const drawn = sample(unknown, new Rng(hash32(`difficulty|${key}`)));
  return { difficulty: Math.min(1, Math.max(0, drawn)), known: false };
}
