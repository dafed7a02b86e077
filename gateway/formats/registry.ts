import { openaiFormat } from './openai.js';
import type { WireFormat } from './types.js';

/** Every wire format an upstream may declare (`upstreams[].format`). */
export const FORMATS = {
  openai: openaiFormat,
} as const satisfies Record<string, WireFormat>;

export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as [FormatName, ...FormatName[]];

export function getFormat(name: FormatName): WireFormat {
  return FORMATS[name];
}
