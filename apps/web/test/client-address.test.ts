import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { normalizeForwarded, trustFromEnv } from '../scripts/client-address.mjs';

function request(peer: string, headers: Record<string, string>) {
  return { socket: { remoteAddress: peer }, headers: { ...headers } } as unknown as IncomingMessage;
}

const forged = {
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  'x-real-ip': '203.0.113.8',
  forwarded: 'for=203.0.113.9',
};

describe('the console client address (WEB_TRUST_PROXY)', () => {
  it('by default trusts no one: the socket address wins and forwarded hints are dropped', () => {
    for (const value of [undefined, '', 'false']) {
      const req = request('198.51.100.4', forged);
      normalizeForwarded(req, trustFromEnv(value));
      expect(req.headers).toEqual({ 'x-forwarded-for': '198.51.100.4' });
    }
  });

  it('behind a trusted proxy takes the nearest untrusted address of its chain and keeps its host and protocol', () => {
    const trust = trustFromEnv('loopback, 10.0.0.0/8');
    const req = request('127.0.0.1', { ...forged, 'x-forwarded-for': '203.0.113.7, 198.51.100.4, 10.1.2.3' });
    normalizeForwarded(req, trust);
    expect(req.headers).toEqual({
      'x-forwarded-for': '198.51.100.4',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
    });
  });

  it('ignores the header from a peer that is not a trusted proxy, and unmaps IPv4-mapped addresses', () => {
    const req = request('::ffff:198.51.100.4', forged);
    normalizeForwarded(req, trustFromEnv('loopback'));
    expect(req.headers['x-forwarded-for']).toBe('198.51.100.4');
    expect(req.headers['x-forwarded-host']).toBeUndefined();
  });

  it('refuses an entry that is not an address, range or named range, as the API does', () => {
    expect(() => trustFromEnv('true')).toThrow(/invalid IP address/);
  });
});
