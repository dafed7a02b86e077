/**
 * Azure OpenAI's deployment URLs over the OpenAI format: `POST /openai/deployments/{deployment}/
 * chat/completions?api-version=…` and `…/embeddings?api-version=…`, so the official `openai`
 * client's `AzureOpenAI` works unchanged. The deployment names the model (the body's `model`, if
 * any, is ignored, as Azure does); `api-version` is required.
 */
import { StormlabError } from '../../core/errors.js';
import type { CallRoute, EmbeddingRoute, Peek, RequestParts } from './types.js';

const PREFIX = '/openai/deployments/:deployment';

function deployment(req: RequestParts): string {
  if (!req.query['api-version']) {
    throw new StormlabError('MOCK_BAD_REQUEST', "Missing required query parameter: 'api-version'.", [
      { path: 'api-version', expected: 'an Azure OpenAI API version, e.g. ?api-version=2024-10-21', received: 'undefined' },
    ]);
  }
  return req.params.deployment ?? '';
}

/** The request as the OpenAI route would read it, with the deployment as its model. */
const asOpenAi = (req: RequestParts, model: string): RequestParts => ({ ...req, body: { ...(req.body as object), model } });

const peekDeployment = (req: RequestParts, stream: boolean): Peek => ({ model: req.params.deployment ?? null, stream });

export function azureCall(openai: CallRoute): CallRoute {
  return {
    ...openai,
    url: `${PREFIX}/chat/completions`,
    peek: (req) => peekDeployment(req, openai.peek(req).stream),
    parse: (req) => openai.parse(asOpenAi(req, deployment(req))),
  };
}

export function azureEmbeddings(openai: EmbeddingRoute): EmbeddingRoute {
  return {
    ...openai,
    url: `${PREFIX}/embeddings`,
    peek: (req) => peekDeployment(req, false),
    parse: (req) => openai.parse(asOpenAi(req, deployment(req))),
  };
}
