import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../src/client';
import { generateApiKey, verifyApiKey } from '../src/identity/api-keys';
import { generatePassword, hashPassword, verifyPassword } from '../src/identity/passwords';
import { hitRateLimit, peekRateLimit, pruneRateLimits } from '../src/identity/rate-limit';
import type { Role } from '../src/identity/roles';
import { createSession, revokeSessionByToken, validateSession } from '../src/identity/sessions';
import {
  claimSignInAttempt,
  clearSignInFailures,
  pruneSignInThrottle,
} from '../src/identity/sign-in-throttle';
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

describe('sign-in delay per account', () => {
  const policy = { freeFailures: 5, windowSeconds: 900, maxDelaySeconds: 60 };

  it('lets 5 parallel attempts through, then makes every further one wait, and never longer than the cap', async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => claimSignInAttempt(db.primary, 'burst@test.local', policy)),
    );
    expect(claims.filter((c) => c.allowed)).toHaveLength(5);
    const waits = claims.flatMap((c) => (c.allowed ? [] : [c.retryAfterSeconds]));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...waits)).toBeLessThanOrEqual(4);

    // Once a delay has passed the next attempt is allowed, and the one after waits twice as long.
    await db.sql`update sign_in_throttle set next_attempt_at = now() where account = 'burst@test.local'`;
    expect(await claimSignInAttempt(db.primary, 'burst@test.local', policy)).toEqual({ allowed: true });
    const next = await claimSignInAttempt(db.primary, 'burst@test.local', policy);
    expect(next).toMatchObject({ allowed: false });
    expect(next.allowed ? 0 : next.retryAfterSeconds).toBeGreaterThan(4);
    expect(next.allowed ? 0 : next.retryAfterSeconds).toBeLessThanOrEqual(8);

    await db.sql`update sign_in_throttle set failures = 40, next_attempt_at = now() where account = 'burst@test.local'`;
    await claimSignInAttempt(db.primary, 'burst@test.local', policy);
    const capped = await claimSignInAttempt(db.primary, 'burst@test.local', policy);
    expect(capped.allowed ? 0 : capped.retryAfterSeconds).toBe(60);
  });

  it('saturates at the cap for any failure count (2^1997 would overflow a float)', async () => {
    await claimSignInAttempt(db.primary, 'many@test.local', policy);
    await db.sql`update sign_in_throttle set failures = 2000, next_attempt_at = now() where account = 'many@test.local'`;
    expect(await claimSignInAttempt(db.primary, 'many@test.local', policy)).toEqual({ allowed: true });
    expect(await claimSignInAttempt(db.primary, 'many@test.local', policy)).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
  });

  it('forgets failures after a success or a quiet window', async () => {
    for (let i = 0; i < 5; i++) await claimSignInAttempt(db.primary, 'quiet@test.local', policy);
    await clearSignInFailures(db.primary, 'quiet@test.local');
    for (let i = 0; i < 5; i++) {
      expect(await claimSignInAttempt(db.primary, 'quiet@test.local', policy)).toEqual({ allowed: true });
    }
    await db.sql`update sign_in_throttle set last_failure_at = now() - interval '901 seconds',
      next_attempt_at = null where account = 'quiet@test.local'`;
    expect(await claimSignInAttempt(db.primary, 'quiet@test.local', policy)).toEqual({ allowed: true });
    const [row] = await db.sql`select failures from sign_in_throttle where account = 'quiet@test.local'`;
    expect(row!.failures).toBe(1);
  });
});

describe('sign-in counters', () => {
  it('are pruned once long stale, and only then', async () => {
    const policy = { freeFailures: 5, windowSeconds: 900, maxDelaySeconds: 60 };
    await hitRateLimit(db.primary, 'prune:fresh', { max: 10, windowSeconds: 60 });
    await hitRateLimit(db.primary, 'prune:old', { max: 10, windowSeconds: 60 });
    await db.sql`update rate_limits set window_start = now() - interval '25 hours' where key = 'prune:old'`;
    for (const account of ['fresh@prune.local', 'old@prune.local', 'waiting@prune.local'])
      await claimSignInAttempt(db.primary, account, policy);
    await db.sql`update sign_in_throttle set last_failure_at = now() - interval '3 days'
      where account in ('old@prune.local', 'waiting@prune.local')`;
    await db.sql`update sign_in_throttle set next_attempt_at = now() + interval '1 hour' where account = 'waiting@prune.local'`;

    expect(await pruneRateLimits(db.sql)).toBe(1);
    expect(await pruneSignInThrottle(db.sql)).toBe(1);
    const keys = await db.sql`select key from rate_limits where key like 'prune:%'`;
    expect(keys.map((r) => r.key)).toEqual(['prune:fresh']);
    const accounts =
      await db.sql`select account from sign_in_throttle where account like '%@prune.local' order by 1`;
    expect(accounts.map((r) => r.account)).toEqual(['fresh@prune.local', 'waiting@prune.local']);
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

  it('an API key acts at most as a maintainer and never above its owner', async () => {
    const keyOf = async (keyRole: Role, ownerRole: Role) => {
      const { key, prefix, keyHash } = generateApiKey();
      const [owner] = await db.primary
        .insert(schema.users)
        .values({ email: `owner-${prefix}@test.local`, role: ownerRole })
        .returning();
      await db.primary
        .insert(schema.apiKeys)
        .values({ name: 'k', prefix, keyHash, role: keyRole, createdBy: owner!.id });
      return (await verifyApiKey(db.primary, key))?.role;
    };
    // An admin key can only exist from before the rule or by hand; it never acts as one.
    expect(await keyOf('admin', 'admin')).toBe('maintainer');
    expect(await keyOf('maintainer', 'viewer')).toBe('viewer');
    expect(await keyOf('viewer', 'admin')).toBe('viewer');
    expect(await keyOf('maintainer', 'admin')).toBe('maintainer');
  });
});
