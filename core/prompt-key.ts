/**
 * A short, stable key of a prompt text: FNV-1a 32-bit of the text with whitespace runs folded to
 * one space and the ends trimmed (`normalizePrompt`), as 8 hex digits. The shipped difficulty
 * table (scenarios/data/difficulty.json) is keyed by it and the mock fleet looks prompts up with
 * it, so neither has to import the other. One pass, no intermediate string: the fleet keys every
 * call's prompt (a few KB of document in ~10 µs). Pure TS.
 */

export function normalizePrompt(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What `\s` matches in a JS regular expression. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  if (c >= 0x2000 && c <= 0x200a) return true;
  return c === 0xa0 || c === 0x1680 || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** hash32(normalizePrompt(text)) as 8 hex digits, computed in one pass. */
export function promptKey(text: string): string {
  let h = 0x811c9dc5;
  let started = false;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      space = started;
      continue;
    }
    if (space) {
      h = Math.imul(h ^ 32, 0x01000193);
      space = false;
    }
    h = Math.imul(h ^ c, 0x01000193);
    started = true;
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
