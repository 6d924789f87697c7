/**
 * Identity providers are matched to Sextant users by email, so only an address the provider says it verified
 * may match: otherwise whoever registers someone else's address at the provider signs in as them.
 */

/** The verified email of a provider's profile (OIDC claims `email` + `email_verified`), lower-cased, or null. */
export function verifiedEmail(profile: unknown): string | null {
  if (!profile || typeof profile !== 'object') return null;
  const { email, email_verified: verified } = profile as Record<string, unknown>;
  if (typeof email !== 'string' || email.trim() === '') return null;
  // Some providers send the claim as the string "true"; anything else, or no claim at all, is not verified.
  if (verified !== true && verified !== 'true') return null;
  return email.trim().toLowerCase();
}

/**
 * May this sign-in through a provider link to the Sextant user with that email? Only when the provider verified
 * the address and it is the one Auth.js links by (`user.email`).
 */
export function linkableEmail(user: { email?: string | null }, profile: unknown): string | null {
  const email = verifiedEmail(profile);
  return email && user.email?.trim().toLowerCase() === email ? email : null;
}

interface GitHubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

/**
 * GitHub's profile for Auth.js: `/user` names at most a public address and says nothing of verification, so the
 * email comes from `/user/emails`, the primary one, and only when GitHub verified it (then `email_verified`).
 */
export async function gitHubUserinfo({
  tokens,
  provider,
}: {
  tokens: { access_token?: string };
  provider: { userinfo?: { url?: URL | string } };
}): Promise<Record<string, unknown>> {
  const url = new URL(provider.userinfo?.url ?? 'https://api.github.com/user');
  const headers = {
    authorization: `Bearer ${tokens.access_token}`,
    accept: 'application/vnd.github+json',
    'user-agent': 'sextant',
  };
  const profile = (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
  const res = await fetch(`${url.href.replace(/\/$/, '')}/emails`, { headers });
  const emails: unknown = res.ok ? await res.json() : [];
  const primary = Array.isArray(emails)
    ? (emails as GitHubEmail[]).find(
        (e) => e?.primary === true && e.verified === true && typeof e.email === 'string',
      )
    : undefined;
  return {
    ...profile,
    email: (primary?.email as string | undefined) ?? null,
    email_verified: primary !== undefined,
  };
}
