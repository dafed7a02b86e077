/** The registry of wire formats: one unit per name in names.ts. */
import { anthropic } from './anthropic.js';
import { gemini } from './gemini.js';
import type { FormatName } from './names.js';
import { openai } from './openai.js';
import type { FormatUnit } from './types.js';

export const FORMATS: Readonly<Record<FormatName, FormatUnit>> = { openai, anthropic, gemini };

export { FORMAT_NAMES, type FormatName } from './names.js';
export type * from './types.js';
