import { describe, expect, it } from 'vitest';
import type { Route } from '../domain/route.js';
import { target } from '../routing/testing.js';
import { ResidencySchema } from '../config/tenants.js';
import { ResidencyTable } from './residency.js';

const us = target({ upstream: 'oai/us-east', region: 'us-east', zone: 'us' });
const eu = target({ upstream: 'oai/eu-west', region: 'eu-west', zone: 'eu' });
const az = target({ upstream: 'azure/westeurope', region: 'westeurope', zone: 'eu' });
const big = target({ upstream: 'oai/us-east', model: 'big', region: 'us-east', zone: 'us' });
const bigEu = target({ upstream: 'oai/eu-west', model: 'big', region: 'eu-west', zone: 'eu' });
const route = { model: 'm', targets: [us, eu, az], contextFallback: [big, bigEu] } as unknown as Route;

const table = new ResidencyTable({
  byZone: { residency: ResidencySchema.parse({ zones: ['eu'] }) },
  byRegion: { residency: ResidencySchema.parse({ regions: ['westeurope'] }) },
  free: {},
});

describe('residency views', () => {
  it('keep only lawful targets and context fallbacks, in the route order', () => {
    const v = table.view(table.pinOf('byZone')!, route);
    expect(v.targets).toEqual([eu, az]);
    expect(v.contextFallback).toEqual([bigEu]);
    expect(v.model).toBe('m');
    expect(table.view(table.pinOf('byRegion')!, route).targets).toEqual([az]);
  });

  it('are built once per tenant and route', () => {
    const pin = table.pinOf('byZone')!;
    expect(table.view(pin, route)).toBe(table.view(pin, route));
  });

  it('leave tenants without residency unpinned', () => {
    expect(table.pinOf('free')).toBeUndefined();
    expect(table.pinOf('unknown')).toBeUndefined();
  });
});
