/**
 * The front door's JSON body parser: plain `JSON.parse`, and fastify's own parser
 * (secure-json-parse: the same parse plus a prototype-poisoning scan) only for a body that
 * could hold a `__proto__` or `constructor` key — spelled out, or with a `\u` escape of one of
 * their letters — or that `JSON.parse` refuses, so poisoned bodies, bad JSON and empty bodies
 * get the same 400 as before. Most bodies hold neither and skip the scan's two regular expressions.
 */
import type { FastifyBodyParser, FastifyInstance } from 'fastify';

/** `\u0050`…`\u007f` covers every letter of both keys (`_` is U+005F, `c` U+0063 … `u` U+0075). */
const SUSPECT = /__proto__|constructor|\\u00[5-7]/;

/** The parser over fastify's own (`secure`), which gets every body the fast path does not take. */
export function jsonBodyParser(secure: FastifyBodyParser<string>): FastifyBodyParser<string> {
  return (request, text, done) => {
    if (text.length > 0 && !SUSPECT.test(text)) {
      let value: unknown;
      let parsed = false;
      try {
        value = JSON.parse(text);
        parsed = true;
      } catch {
        // fastify's parser below says what is wrong, in its words
      }
      if (parsed) return done(null, value);
    }
    return secure(request, text, done);
  };
}

export function registerJsonBody(app: FastifyInstance): void {
  // fastify's defaults for both: a body with such a key is refused (400), not cleaned
  const secure = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBodyParser(secure));
}
