import { describe, expect, it } from 'vitest';
import { joinPath } from './pool.js';

describe('upstream URL paths', () => {
  it('joins a URL path prefix and the format path without doubling /v1', () => {
    expect(joinPath('/', '/v1/chat/completions')).toBe('/v1/chat/completions');
    expect(joinPath('/v1', '/v1/chat/completions')).toBe('/v1/chat/completions');
    expect(joinPath('/openai/v1/', '/v1/chat/completions')).toBe('/openai/v1/chat/completions');
    expect(joinPath('/proxy', '/v1/chat/completions')).toBe('/proxy/v1/chat/completions');
  });
});
