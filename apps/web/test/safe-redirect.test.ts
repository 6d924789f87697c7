import { describe, expect, it } from 'vitest';
import { sameOriginPath } from '~/lib/safe-redirect';

describe('callback URLs after sign-in', () => {
  it('keeps paths on the console', () => {
    expect(sameOriginPath('/services/api?env=PRO#checks')).toBe('/services/api?env=PRO#checks');
    expect(sameOriginPath('/metrics', 'http://127.0.0.1:3000')).toBe('/metrics');
    expect(sameOriginPath('http://127.0.0.1:3000/audit', 'http://127.0.0.1:3000')).toBe('/audit');
  });

  it('sends anything that leaves the console to the Overview', () => {
    for (const value of [
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/.//evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'http://localhost:3000/',
      '',
      undefined,
      ['/ok'],
    ]) {
      expect(sameOriginPath(value, 'http://127.0.0.1:3000'), String(value)).toBe('/');
    }
  });
});
