import { eq, generateApiKey, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_CACHE_LIMITS, ApiKeyCache } from '../../src/auth/key-cache';
import { createFixture, type Fixture } from '../fixtures';

let f: Fixture;
const cache = new ApiKeyCache();
let unlisten: () => Promise<void>;
beforeAll(async () => {
  f = await createFixture();
  unlisten = (await cache.listen(f.database.sql)).unlisten;
});
afterAll(async () => {
  await unlisten?.();
  await f?.close();
});

/** A new key of `role` owned by a new user of `ownerRole`; returns the key and its row's id. */
async function newKey(
  role: 'viewer' | 'maintainer' | 'admin',
  ownerRole = role,
  expiresAt: Date | null = null,
) {
  const [owner] = await f.database.primary
    .insert(schema.users)
    .values({ email: `owner-${Math.random().toString(36).slice(2)}@test.local`, role: ownerRole })
    .returning();
  const { key, prefix, keyHash } = generateApiKey();
  const [row] = await f.database.primary
    .insert(schema.apiKeys)
    .values({ name: 'cached key', prefix, keyHash, role, createdBy: owner!.id, expiresAt })
    .returning();
  return { key, id: row!.id, ownerId: owner!.id };
}

/** Polls until `probe` holds; a notification travels asynchronously, so "at once" means within a bounded wait. */
async function within2s(probe: () => Promise<boolean>) {
  const deadline = Date.now() + 2_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('not within 2 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the verified API key cache of the evaluation edges (issue 18 bench, security by default)', () => {
  it('keeps a verified key: a change that cannot refuse it (its name) is not read again', async () => {
    const { key, id } = await newKey('viewer');
    expect((await cache.verify(f.database.db, key))?.name).toBe('cached key');
    await f.database.primary.update(schema.apiKeys).set({ name: 'renamed' }).where(eq(schema.apiKeys.id, id));
    expect((await cache.verify(f.database.db, key))?.name).toBe('cached key');
    // The edges' synchronous look (`peek`) sees the same kept key.
    expect(cache.peek(key)?.name).toBe('cached key');
    // Past the TTL it asks the database again.
    const later = Date.now() + API_KEY_CACHE_LIMITS.ttlMs + 1;
    expect(cache.peek(key, later)).toBeUndefined();
    expect((await cache.verify(f.database.db, key, later))?.name).toBe('renamed');
  });

  it('a revoked key is refused once the commit is heard', async () => {
    const { key, id } = await newKey('maintainer');
    expect(await cache.verify(f.database.db, key)).not.toBeNull();
    await f.database.primary
      .update(schema.apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(schema.apiKeys.id, id));
    await within2s(
      async () => cache.peek(key) === undefined && (await cache.verify(f.database.db, key)) === null,
    );
    expect(cache.peek(key)).toBeUndefined();
  });

  it("an owner's lowered role caps the key, and a disabled owner refuses it", async () => {
    const { key, ownerId } = await newKey('maintainer');
    expect((await cache.verify(f.database.db, key))?.role).toBe('maintainer');
    await f.database.primary.update(schema.users).set({ role: 'viewer' }).where(eq(schema.users.id, ownerId));
    await within2s(async () => (await cache.verify(f.database.db, key))?.role === 'viewer');
    await f.database.primary
      .update(schema.users)
      .set({ disabledAt: new Date() })
      .where(eq(schema.users.id, ownerId));
    await within2s(async () => (await cache.verify(f.database.db, key)) === null);
  });

  it('a cached key is not trusted past its expiry, and unknown keys are never kept', async () => {
    const { key } = await newKey('viewer', 'viewer', new Date(Date.now() + 1_000));
    expect(await cache.verify(f.database.db, key)).not.toBeNull();
    // Kept for the TTL (10 s) it would still pass; bounded by its expiry it is refused a second later.
    const deadline = Date.now() + 3_000;
    while ((await cache.verify(f.database.db, key)) !== null) {
      if (Date.now() > deadline) throw new Error('an expired key was still accepted');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(cache.peek(key)).toBeUndefined();
    const unknown = generateApiKey().key;
    expect(await cache.verify(f.database.db, unknown)).toBeNull();
    expect(cache.peek(unknown)).toBeUndefined();
  });

  it('without LISTEN nothing is kept: every check reads the database', async () => {
    const cold = new ApiKeyCache();
    const { key, id } = await newKey('viewer');
    expect((await cold.verify(f.database.db, key))?.name).toBe('cached key');
    expect(cold.peek(key)).toBeUndefined();
    await f.database.primary.update(schema.apiKeys).set({ name: 'renamed' }).where(eq(schema.apiKeys.id, id));
    expect((await cold.verify(f.database.db, key))?.name).toBe('renamed');
  });
});
