/**
 * One pass over an OpenAI chunk's text: checks its JSON framing (balanced brackets outside
 * strings, every string closed — what a truncated event breaks) and notes the keys the gateway
 * acts on, without building objects. A key is a string followed by `:`, which cannot occur
 * inside a JSON string (every quote there is escaped). Strings, most of a chunk, are skipped
 * with a native search for their closing quote.
 */

/** What the last scan found; one instance, reused (the scan is synchronous). */
export interface ChunkScan {
  /** balanced and closed: parses as JSON as far as framing goes */
  ok: boolean;
  /** a `"delta":{…}` object is present */
  delta: boolean;
  /** bounds of the first string-valued `"content"` (after its opening quote, at its closing quote); -1 when none */
  contentStart: number;
  contentEnd: number;
  /** the content string holds escapes (JSON.parse it to read it) */
  contentEscaped: boolean;
  /** a non-empty string-valued `"refusal"` */
  refusal: boolean;
  /** `"tool_calls":[` or `"function_call":{` */
  tool: boolean;
  /** `"finish_reason":"…"` (not null) */
  finish: boolean;
  /** bounds of the finish reason's text (after its opening quote, at its closing quote) when `finish` */
  finishStart: number;
  finishEnd: number;
  /** `"usage":{` */
  usage: boolean;
  /** `"logprobs":{` */
  logprobs: boolean;
}

const scan: ChunkScan = {
  ok: false,
  delta: false,
  contentStart: -1,
  contentEnd: -1,
  contentEscaped: false,
  refusal: false,
  tool: false,
  finish: false,
  finishStart: -1,
  finishEnd: -1,
  usage: false,
  logprobs: false,
};

/** The closing quote of the string whose opening quote is at `open`, or -1. */
export function stringEnd(d: string, open: number): number {
  let q = d.indexOf('"', open + 1);
  while (q > 0 && d.charCodeAt(q - 1) === 92) {
    // escaped only if an odd number of backslashes precede it
    let k = q - 1;
    while (d.charCodeAt(k) === 92) k--;
    if ((q - 1 - k) % 2 === 0) break;
    q = d.indexOf('"', q + 1);
  }
  return q;
}

const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const QUOTE = 34;

/** Note the key whose name starts at `from` (`len` characters), its value starting at `v`. */
function noteKey(d: string, from: number, len: number, v: number): void {
  const c = d.charCodeAt(v);
  switch (len) {
    case 5:
      if (c === OPEN_OBJECT && d.startsWith('delta', from)) scan.delta = true;
      else if (c === OPEN_OBJECT && d.startsWith('usage', from)) scan.usage = true;
      break;
    case 7:
      if (c !== QUOTE) break;
      if (scan.contentStart < 0 && d.startsWith('content', from)) {
        const end = stringEnd(d, v);
        scan.contentStart = v + 1;
        scan.contentEnd = end;
        const slash = d.indexOf('\\', v + 1);
        scan.contentEscaped = slash >= 0 && slash < end;
      } else if (d.charCodeAt(v + 1) !== QUOTE && d.startsWith('refusal', from)) scan.refusal = true;
      break;
    case 8:
      if (c === OPEN_OBJECT && d.startsWith('logprobs', from)) scan.logprobs = true;
      break;
    case 10:
      if (c === OPEN_ARRAY && d.startsWith('tool_calls', from)) scan.tool = true;
      break;
    case 13:
      if (c === QUOTE && d.startsWith('finish_reason', from)) {
        scan.finish = true;
        scan.finishStart = v + 1;
        scan.finishEnd = stringEnd(d, v);
      }
      else if (c === OPEN_OBJECT && d.startsWith('function_call', from)) scan.tool = true;
      break;
  }
}

/** Scan one chunk; the result is overwritten by the next call. */
export function scanChunk(d: string): ChunkScan {
  scan.ok = false;
  scan.delta = scan.contentEscaped = scan.refusal = scan.tool = scan.finish = scan.usage = scan.logprobs = false;
  scan.contentStart = scan.contentEnd = scan.finishStart = scan.finishEnd = -1;
  const n = d.length;
  if (n < 2 || d.charCodeAt(0) !== OPEN_OBJECT || d.charCodeAt(n - 1) !== 125) return scan;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = d.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(d, i);
      if (end < 0) return scan;
      if (d.charCodeAt(end + 1) === 58) {
        let v = end + 2;
        while (d.charCodeAt(v) === 32) v++;
        noteKey(d, i + 1, end - i - 1, v);
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === 125 || c === 93) {
      if (--depth < 0 || (depth === 0 && i !== n - 1)) return scan;
    }
  }
  scan.ok = depth === 0;
  return scan;
}
