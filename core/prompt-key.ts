/**
 * A short, stable key of a prompt text: FNV-1a 32-bit of the text with whitespace runs folded to
 * one space and the ends trimmed, as 8 hex digits. The shipped difficulty table
 * (scenarios/data/difficulty.json) is keyed by it and the mock fleet looks prompts up with it, so
 * neither has to import the other. Pure TS.
 */
import { hash32 } from './random.js';

export function normalizePrompt(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function promptKey(text: string): string {
  return hash32(normalizePrompt(text)).toString(16).padStart(8, '0');
}
