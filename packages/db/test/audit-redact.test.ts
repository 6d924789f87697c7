import { describe, expect, it } from 'vitest';
import { diffOf, redact } from '../src/audit';

const SECRETS = [
  's-auth',
  's-proxy',
  's-key',
  's-key2',
  's-cookie',
  's-set-cookie',
  'url-user',
  'url-pw',
  'bearer-tok',
  'USERONLYTOKEN',
  'q-jwt',
  'q-bearer',
  'q-private',
  'q-token',
  'f-jwt',
  'f-private-key',
  'f-session',
  'f-token',
  'f-token-secret',
  'f-prefix-token',
];

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
      url: 'https://url-user:url-pw@exporter.test/metrics',
      userOnly: 'cloned from https://glpat-USERONLYTOKEN@gitlab.example.com/group/repo.git today',
      query:
        'https://api.test/v1?jwt=q-jwt&Bearer=q-bearer&private_token=q-private&access-token=q-token&page=2',
      jwt: 'f-jwt',
      privateKey: 'f-private-key',
      sessionId: 'f-session',
      // A secret stays a secret whatever else its name says, unless the name ends in `prefix`.
      token: 'f-token',
      tokenSecret: 'f-token-secret',
      prefixToken: 'f-prefix-token',
      notes: ['Bearer bearer-tok'],
    };
    const text = JSON.stringify(redact(value));
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    // What is not secret stays readable: the URL's scheme, host, path and plain parameters.
    expect(text).toContain('application/json');
    expect(text).toContain('https://[redacted]@exporter.test/metrics');
    expect(text).toContain('https://[redacted]@gitlab.example.com/group/repo.git today');
    expect(text).toContain('page=2');
  });

  it('leaves names that only look alike readable', () => {
    const plain = {
      keyword: 'up',
      exitCode: 3,
      sessionsEnded: 2,
      keysRevoked: 1,
      author: 'ops',
      hashtag: 'x',
      // A prefix is published to tell credentials apart; it is no credential.
      tokenPrefix: 'Ab3dE_',
      keyPrefix: 'sxt_Ab3dE_x1',
    };
    expect(redact(plain)).toEqual(plain);
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
