import { describe, expect, it } from 'vitest';
import { diffOf, redact } from '../src/audit';

const SECRETS = ['s-auth', 's-proxy', 's-key', 's-key2', 's-cookie', 's-set-cookie', 'url-pw', 'bearer-tok'];

describe('audit redaction', () => {
  it('hides credential headers, cookies, URL passwords and bearer values wherever they appear', () => {
    const value = {
      headers: {
        Authorization: 'Bearer s-auth',
        'Proxy-Authorization': 'Basic s-proxy',
        'X-Api-Key': 's-key',
        'api-key': 's-key2',
        Cookie: 'sid=s-cookie',
        'Set-Cookie': 'sid=s-set-cookie; HttpOnly',
        Accept: 'application/json',
      },
      url: 'https://probe:url-pw@exporter.test/metrics',
      notes: ['Bearer bearer-tok'],
    };
    const text = JSON.stringify(redact(value));
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    // What is not secret stays readable, including the URL's user and host.
    expect(text).toContain('application/json');
    expect(text).toContain('https://probe:');
    expect(text).toContain('@exporter.test/metrics');
  });

  it('keeps secrets out of both sides of a diff', () => {
    const diff = diffOf(
      { url: 'https://u:url-pw@a.test/', headers: { 'X-Api-Key': 's-key' } },
      { url: 'https://u:url-pw@b.test/', headers: { 'X-Api-Key': 's-key2' } },
    );
    expect(JSON.stringify(diff)).not.toMatch(/url-pw|s-key/);
    expect(JSON.stringify(diff)).toContain('b.test');
  });
});
