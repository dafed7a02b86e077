import { describe, expect, it } from 'vitest';
import { normalizePrompt, promptKey } from './prompt-key.js';
import { hash32 } from './random.js';

describe('promptKey', () => {
  it('is FNV-1a of the text with whitespace folded and trimmed, in one pass', () => {
    const texts = ['', ' ', 'a', '  How   do I\tcancel?\n\n', 'x\u00a0\u2003y\u3000', 'é ✓ 𝄞 z', 'a \n b', '\ufeffhead'];
    for (const t of texts) expect(promptKey(t), JSON.stringify(t)).toBe(hash32(normalizePrompt(t)).toString(16).padStart(8, '0'));
    expect(promptKey('How do I cancel?')).toBe(promptKey(' How  do I\ncancel? '));
    expect(promptKey('How do I cancel?')).not.toBe(promptKey('How do I cancel'));
  });
});
