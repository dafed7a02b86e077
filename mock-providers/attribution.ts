/**
 * How a response says which endpoint served it, in places a pass-through gateway keeps: the
 * body's `system_fingerprint` (`stormlab:<provider>/<region>`), the response id
 * (`<prefix>stormlab:<provider>/<region>:<seq>`) and the `x-stormlab-endpoint` header.
 */
export const ENDPOINT_HEADER = 'x-stormlab-endpoint';
export const REQUEST_ID_HEADER = 'x-request-id';
/** The gateway's attempt number for this upstream call (1 = first try); recorded in the ledger. */
export const ATTEMPT_HEADER = 'x-stormlab-attempt';

export function fingerprint(endpointId: string): string {
  return `stormlab:${endpointId}`;
}

/** The format-neutral part of a response id, unique per endpoint: `stormlab:openai/us-east:1z`. */
export function callId(endpointId: string, seq: number): string {
  return `stormlab:${endpointId}:${seq.toString(36)}`;
}

const MARK_RE = /stormlab:([a-z0-9][a-z0-9._-]*)\/([a-z0-9][a-z0-9._-]*)/;

/** Find the serving endpoint in a fingerprint, a response id or a header value. */
export function parseAttribution(text: string | null | undefined): { provider: string; region: string; endpoint: string } | null {
  const m = text ? MARK_RE.exec(text) : null;
  if (!m) return null;
  const [, provider, region] = m as unknown as [string, string, string];
  return { provider, region, endpoint: `${provider}/${region}` };
}
