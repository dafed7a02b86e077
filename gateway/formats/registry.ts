import type { FormatName, WireFormat } from '../domain/format.js';
import { anthropicFormat } from './anthropic.js';
import { geminiFormat } from './gemini.js';
import { openaiFormat } from './openai.js';

export type { FormatName } from '../domain/format.js';

/** Every wire format an upstream may declare (`upstreams[].format`). */
export const FORMATS: Readonly<Record<FormatName, WireFormat>> = {
  openai: openaiFormat,
  anthropic: anthropicFormat,
  gemini: geminiFormat,
};

export const FORMAT_NAMES = Object.keys(FORMATS) as [FormatName, ...FormatName[]];

export function getFormat(name: FormatName): WireFormat {
  return FORMATS[name];
}
