import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../core/tokens.js';
import { completionPieces } from './content.js';

const msgs = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Explain backpressure in two lines.' },
];

describe('completion text', () => {
  it('is the same for the same seed, model and messages', () => {
    expect(completionPieces(7, 'gpt-4.1-mini', msgs, 60)).toEqual(completionPieces(7, 'gpt-4.1-mini', msgs, 60));
  });

  it('changes with the seed, the model or the conversation', () => {
    const base = completionPieces(7, 'gpt-4.1-mini', msgs, 30).join('');
    expect(completionPieces(8, 'gpt-4.1-mini', msgs, 30).join('')).not.toBe(base);
    expect(completionPieces(7, 'gpt-4.1', msgs, 30).join('')).not.toBe(base);
    expect(completionPieces(7, 'gpt-4.1-mini', [...msgs, { role: 'user', content: 'more' }], 30).join('')).not.toBe(base);
  });

  it('has exactly n pieces, and the shared token estimate of the text is n', () => {
    for (const n of [1, 2, 17, 400]) {
      const pieces = completionPieces(3, 'm', msgs, n);
      expect(pieces).toHaveLength(n);
      expect(estimateTokens(pieces.join(''))).toBe(n);
    }
  });

  it('reads like sentences: capitalised starts, a full stop at the end', () => {
    const text = completionPieces(3, 'm', msgs, 40).join('');
    expect(text).toMatch(/^[A-Z][a-z]{2} /);
    expect(text).toMatch(/[a-z]\.$/);
    expect(text).toMatch(/\. [A-Z]/);
  });
});
