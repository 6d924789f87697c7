import { afterEach, describe, expect, it, vi } from 'vitest';
import { gitHubUserinfo, linkableEmail, verifiedEmail } from '~/auth/verified-email';

describe('identity providers link accounts only by a verified email', () => {
  it('accepts an OIDC profile whose email_verified claim is true', () => {
    expect(verifiedEmail({ email: 'Ana@Example.com', email_verified: true })).toBe('ana@example.com');
    expect(verifiedEmail({ email: 'ana@example.com', email_verified: 'true' })).toBe('ana@example.com');
    expect(
      linkableEmail({ email: 'ana@example.com' }, { email: 'ANA@example.com', email_verified: true }),
    ).toBe('ana@example.com');
  });

  it('refuses unverified, missing or mismatched addresses', () => {
    for (const profile of [
      { email: 'ana@example.com' },
      { email: 'ana@example.com', email_verified: false },
      { email: 'ana@example.com', email_verified: 'false' },
      { email: 'ana@example.com', email_verified: 1 },
      { email: '', email_verified: true },
      { email_verified: true },
      null,
      undefined,
    ]) {
      expect(verifiedEmail(profile), JSON.stringify(profile)).toBeNull();
    }
    expect(
      linkableEmail({ email: 'bob@example.com' }, { email: 'ana@example.com', email_verified: true }),
    ).toBeNull();
    expect(linkableEmail({ email: null }, { email: 'ana@example.com', email_verified: true })).toBeNull();
  });

  describe('GitHub', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    function gitHub(emails: unknown, user: Record<string, unknown> = { id: 1, login: 'ana' }) {
      const calls: string[] = [];
      vi.stubGlobal('fetch', async (url: URL | string) => {
        calls.push(String(url));
        return Response.json(String(url).endsWith('/emails') ? emails : user);
      });
      const profile = gitHubUserinfo({
        tokens: { access_token: 't' },
        provider: { userinfo: { url: new URL('https://api.github.com/user') } },
      });
      return { profile, calls };
    }

    it('uses the primary address only when GitHub verified it', async () => {
      const { profile, calls } = gitHub(
        [
          { email: 'other@example.com', primary: false, verified: true },
          { email: 'ana@example.com', primary: true, verified: true },
        ],
        { id: 1, login: 'ana', email: 'public@example.com' },
      );
      const p = await profile;
      expect(calls).toEqual(['https://api.github.com/user', 'https://api.github.com/user/emails']);
      expect(p).toMatchObject({ id: 1, email: 'ana@example.com', email_verified: true });
      expect(verifiedEmail(p)).toBe('ana@example.com');
    });

    it('links nothing when the primary address is unverified, even with a verified secondary or a public one', async () => {
      const { profile } = gitHub(
        [
          { email: 'ana@example.com', primary: true, verified: false },
          { email: 'other@example.com', primary: false, verified: true },
        ],
        { id: 1, login: 'ana', email: 'ana@example.com' },
      );
      const p = await profile;
      expect(p).toMatchObject({ email: null, email_verified: false });
      expect(verifiedEmail(p)).toBeNull();
    });
  });
});
