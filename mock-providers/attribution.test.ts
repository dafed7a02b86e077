import { describe, expect, it } from 'vitest';
import { callId, fingerprint, parseAttribution } from './attribution.js';

describe('attribution marks', () => {
  it('the fingerprint, the response id and the header all name the endpoint', () => {
    const want = { provider: 'azure', region: 'westeurope', endpoint: 'azure/westeurope' };
    expect(parseAttribution(fingerprint('azure/westeurope'))).toEqual(want);
    expect(parseAttribution(`chatcmpl-${callId('azure/westeurope', 1234)}`)).toEqual(want);
    expect(parseAttribution('azure/westeurope')).toBeNull();
    expect(parseAttribution(undefined)).toBeNull();
  });
});
