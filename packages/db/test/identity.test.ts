import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../src/client';
import { generateApiKey, verifyApiKey } from '../src/identity/api-keys';
import { generatePassword, hashPassword, verifyPassword } from '../src/identity/passwords';
import { hitRateLimit, peekRateLimit } from '../src/identity/rate-limit';
import { createSession, revokeSessionByToken, validateSession } from '../src/identity/sessions';
import { schema } from '../src/index';
import { createTestDatabase } from '../src/testing';

let db: Database;
beforeAll(async () => {
  db = createDatabase(await createTestDatabase(inject('adminUrl')), { max: 4 });
});
afterAll(async () => {
  await db?.close();
});

describe('passwords', () => {
  it('hash with argon2id at the configured cost and verify', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
    expect(await verifyPassword(null, 'anything')).toBe(false);
  });

  it('generates passwords from an unambiguous alphabet', () => {
    const passwords = Array.from({ length: 50 }, () => generatePassword());
    expect(new Set(passwords).size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
  });
});

describe('sign-in rate limit', () => {
  it('counts atomically across concurrent callers and reports Retry-After', async () => {
    const policy = { max: 10, windowSeconds: 900 };
    const states = await Promise.all(
      Array.from({ length: 12 }, () => hitRateLimit(db.primary, 'k1', policy)),
    );
    expect(states.map((s) => s.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const peek = await peekRateLimit(db.primary, 'k1', policy);
    expect(peek).toMatchObject({ limited: true, count: 12 });
    expect(peek.retryAfterSeconds).toBeGreaterThan(890);
  });

  it('starts a new window once the old one has passed', async () => {
    const policy = { max: 2, windowSeconds: 60 };
    await hitRateLimit(db.primary, 'k2', policy);
    await hitRateLimit(db.primary, 'k2', policy);
    await db.sql`update rate_limits set window_start = now() - interval '61 seconds' where key = 'k2'`;
    expect(await hitRateLimit(db.primary, 'k2', policy)).toMatchObject({ count: 1, limited: false });
  });
});

describe('session registry and API keys', () => {
  it('validates, then refuses a revoked session', async () => {
    const [user] = await db.primary
      .insert(schema.users)
      .values({ email: 's@test.local', role: 'viewer' })
      .returning();
    const { token } = await createSession(db.primary, { userId: user!.id, provider: 'credentials' });
    expect(await validateSession(db.primary, token)).toMatchObject({ userId: user!.id, role: 'viewer' });
    expect(await validateSession(db.primary, `${token}x`)).toBeNull();
    await revokeSessionByToken(db.primary, token, 'signed out');
    expect(await validateSession(db.primary, token)).toBeNull();
    const [row] =
      await db.sql`select token_hash, revoked_reason from auth_sessions where user_id = ${user!.id}`;
    expect(row!.token_hash).not.toContain(token);
    expect(row!.revoked_reason).toBe('signed out');
  });

  it('API keys verify by hash only', async () => {
    const { key, prefix, keyHash } = generateApiKey();
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
    const [owner] = await db.primary
      .insert(schema.users)
      .values({ email: 'key-owner@test.local', role: 'viewer' })
      .returning();
    await db.primary
      .insert(schema.apiKeys)
      .values({ name: 'k', prefix, keyHash, role: 'viewer', createdBy: owner!.id });
    expect(await verifyApiKey(db.primary, key)).toMatchObject({ name: 'k', role: 'viewer' });
    expect(await verifyApiKey(db.primary, key.slice(0, -1))).toBeNull();
    expect(await verifyApiKey(db.primary, 'not-a-key')).toBeNull();
  });
});
