/**
 * The fast path of ingest: Point lines in the two layouts that make nearly every sample file,
 * read without a full JSON.parse —
 *   stormlab's writer: {"type":"Point","metric":"M","data":{"time":"T","value":V,"tags":{…}}}
 *   k6 --out json:     {"type":"Point","data":{"time":"T","value":V,"tags":{…}},"metric":"M"}
 * A run has few distinct tag sets, so each tags text is parsed once and cached. Anything that does
 * not match exactly (escapes, other keys, spacing) returns null and takes the full parser, so
 * results never differ from it: the same points, values, tags and bad-line reasons. A `metadata`
 * object after the tags (k6 `vu.metrics.metadata`, the driver's request id) is split off; only an
 * `http_reqs` point's is read (its request id).
 */
import { REQUEST_ID_METADATA, type Tags } from '../scenarios/samples.js';

export interface FastPoint {
  metric: string;
  value: number;
  /** shared with other points of the same tag set: never mutate */
  tags: Tags;
  timeMs: number;
  /** metadata.request_id of an http_reqs point */
  requestId: string | undefined;
}

const A_HEAD = '{"type":"Point","metric":"';
const A_DATA = '","data":{"time":"';
const B_HEAD = '{"type":"Point","data":{"time":"';
const VALUE = '","value":';
const TAGS = ',"tags":';
const B_TAIL = '},"metric":"';
const METADATA = ',"metadata":{';
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Parsed tag sets by their JSON text; cleared when it grows past MAX_TAG_SETS (a file of ever-new tags). */
const MAX_TAG_SETS = 10_000;
let tagSets = new Map<string, Tags | null>();
/** the last tag set seen: the points of one request follow each other and share it */
let lastTagsText = '';
let lastTags: Tags | null = null;

/** k6 tag values are strings; anything else (from a hand-written file) is stringified or dropped. */
export function cleanTags(tags: Tags): Tags {
  for (const k in tags) {
    const v: unknown = tags[k];
    if (typeof v === 'string') continue;
    if (typeof v === 'number' || typeof v === 'boolean') tags[k] = String(v);
    else delete tags[k];
  }
  return tags;
}

/**
 * Is line[from, from + s.length) equal to s? A slice (no copy in V8) compared with === beats
 * startsWith(s, from) several times over when either string is itself a slice.
 */
function at(line: string, from: number, s: string): boolean {
  return line.slice(from, from + s.length) === s;
}

/** The tags object whose JSON text is line[from, to), parsed once per distinct text. */
function tagsAt(line: string, from: number, to: number): Tags | null {
  const text = line.slice(from, to);
  if (text === lastTagsText) return lastTags;
  let tags = tagSets.get(text);
  if (tags === undefined) {
    tags = null;
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) tags = cleanTags(v as Tags);
    } catch {
      tags = null;
    }
    if (tagSets.size >= MAX_TAG_SETS) tagSets = new Map();
    tagSets.set(text, tags);
  }
  lastTagsText = text;
  lastTags = tags;
  return tags;
}

/** The last whole second seen (`YYYY-MM-DDThh:mm:ss` and zone): points mostly arrive in time order. */
let lastSecond = '';
let lastZone = '';
let lastSecondMs = Number.NaN;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `YYYY-MM-DDThh:mm:ss` at line[from]. */
function isSecondShape(line: string, from: number): boolean {
  for (let k = 0; k < 19; k++) {
    const c = line.charCodeAt(from + k);
    const ok = k === 4 || k === 7 ? c === 45 : k === 10 ? c === 84 : k === 13 || k === 16 ? c === 58 : isDigit(c);
    if (!ok) return false;
  }
  return true;
}

/**
 * parseTimeMs of line[from, to) when it is `YYYY-MM-DDThh:mm:ss[.f…](Z|±hh:mm)`, with the whole
 * second cached and no string built on a cache hit; NaN when it is not that shape (take the full parser).
 */
export function fastTimeMs(line: string, from = 0, to = line.length): number {
  if (to - from < 20) return Number.NaN;
  let i = from + 19;
  let digits = 0;
  let frac = 0;
  if (line.charCodeAt(i) === 46 /* . */) {
    i++;
    const f0 = i;
    while (i < to && isDigit(line.charCodeAt(i))) {
      frac = frac * 10 + (line.charCodeAt(i) - 48);
      i++;
    }
    digits = i - f0;
    if (digits === 0 || digits > 15) return Number.NaN;
  }
  // the cached second was checked when it was cached: its shape needs no second look
  const sameSecond = lastSecond.length === 19 && to - i === lastZone.length && at(line, from, lastSecond) && at(line, i, lastZone);
  if (!sameSecond) {
    if (!isSecondShape(line, from)) return Number.NaN;
    const zone = line.slice(i, to);
    if (zone !== 'Z' && !/^[+-]\d\d:\d\d$/.test(zone)) return Number.NaN;
    lastSecond = line.slice(from, from + 19);
    lastZone = zone;
    lastSecondMs = Date.parse(lastSecond + zone);
  }
  // frac / 10^digits is the correctly rounded 0.<frac>, as Number("0.<frac>") in parseTimeMs
  return digits === 0 ? lastSecondMs : lastSecondMs + (frac / (POW10[digits] as number)) * 1000;
}

/** A JSON number at line[from, to), or NaN (not one, or not finite). */
function numberAt(line: string, from: number, to: number): number {
  const text = line.slice(from, to);
  return JSON_NUMBER.test(text) ? Number(text) : Number.NaN;
}

/** No quote, backslash or control character: the text is the string's value as JSON.parse would give it. */
function isPlain(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 32 || c === 34 || c === 92) return false;
  }
  return true;
}

const point: FastPoint = { metric: '', value: 0, tags: {}, timeMs: 0, requestId: undefined };

/** metadata.request_id from a metadata object's JSON text, when it is a string. */
export function requestIdOf(metadataJson: string): string | undefined {
  try {
    const v = JSON.parse(metadataJson) as Record<string, unknown> | null;
    const id = v?.[REQUEST_ID_METADATA];
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Point line in one of the two layouts, or null (take the full parser). The returned object is
 * reused by the next call: read it before parsing another line.
 */
export function fastPoint(line: string): FastPoint | null {
  let metric: string;
  let tStart: number;
  let tagsEnd: number;
  const n = line.length;
  if (at(line, 0, A_HEAD)) {
    const mEnd = line.indexOf('"', A_HEAD.length);
    // ends with }}}: tags, data, line
    if (mEnd === -1 || !at(line, mEnd, A_DATA) || line.charCodeAt(n - 1) !== 125 || line.charCodeAt(n - 2) !== 125 || line.charCodeAt(n - 3) !== 125) return null;
    metric = line.slice(A_HEAD.length, mEnd);
    tStart = mEnd + A_DATA.length;
    tagsEnd = n - 2;
  } else if (at(line, 0, B_HEAD)) {
    const tail = line.lastIndexOf(B_TAIL);
    if (tail === -1 || line.charCodeAt(n - 1) !== 125 || line.charCodeAt(n - 2) !== 34) return null;
    metric = line.slice(tail + B_TAIL.length, n - 2);
    tStart = B_HEAD.length;
    tagsEnd = tail;
  } else {
    return null;
  }
  const tEnd = line.indexOf('"', tStart);
  if (tEnd === -1 || !at(line, tEnd, VALUE)) return null;
  const vStart = tEnd + VALUE.length;
  const tagsKey = line.indexOf(TAGS, vStart);
  if (tagsKey === -1 || tagsKey + TAGS.length >= tagsEnd || line.charCodeAt(tagsKey + TAGS.length) !== 123 /* { */) return null;
  const value = numberAt(line, vStart, tagsKey);
  if (!Number.isFinite(value) || !isPlain(metric)) return null;
  const timeMs = fastTimeMs(line, tStart, tEnd);
  if (!Number.isFinite(timeMs)) return null;
  // `"metadata":{` cannot occur inside a tags object's strings (their quotes are escaped)
  const meta = line.indexOf(METADATA, tagsKey + TAGS.length);
  const hasMeta = meta !== -1 && meta < tagsEnd;
  const tags = tagsAt(line, tagsKey + TAGS.length, hasMeta ? meta : tagsEnd);
  if (!tags) return null;
  point.requestId = hasMeta && metric === 'http_reqs' ? requestIdOf(line.slice(meta + METADATA.length - 1, tagsEnd)) : undefined;
  point.metric = metric;
  point.value = value;
  point.tags = tags;
  point.timeMs = timeMs;
  return point;
}
