import type { WireFormat } from './types.js';

/** OpenAI Chat Completions (also Azure OpenAI-compatible deployments and the stormlab mock fleet). */
export const openaiFormat: WireFormat = {
  name: 'openai',
  chatPath: '/v1/chat/completions',
  authHeaders: (apiKey): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  encodeChat(request, model) {
    if (request.stream !== true) return JSON.stringify({ ...request, model });
    return JSON.stringify({ ...request, model, stream_options: { ...request.stream_options, include_usage: true } });
  },
};
