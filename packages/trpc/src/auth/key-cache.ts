import { hash } from 'node:crypto';
import { type ApiKeyIdentity, type Db, LAST_USED_EVERY_MS, lookupApiKey, type Sql } from '@sextant/db';

/** Migration 0039's triggers notify here when a key or its owner changes in a way that can refuse it. */
export const API_KEYS_CHANNEL = 'sextant_api_keys';

export const API_KEY_CACHE_LIMITS = {
  /**
   * How long a verified key is trusted without asking again: also the longest a refusal can go unseen while the
   * LISTEN connection is being re-established; under the last-use interval so last use is still written.
   */
  ttlMs: Math.min(10_000, LAST_USED_EVERY_MS / 2),
  /** Distinct keys kept; past it the cache starts over (bounds memory against many valid keys). */
  maxEntries: 10_000,
} as const;

interface Entry {
  identity: ApiKeyIdentity;
  until: number;
}

const hashOf = (key: string) => hash('sha256', key, 'base64url');

/**
 * This instance's verified API keys, for the evaluation edges' hot path (one database lookup per key per 10 s
 * instead of per request). Kept only while LISTEN sextant_api_keys is in place; every notification (a revoke, an
 * expiry moved, an owner's role lowered or account disabled) empties it, so a refusal applies as soon as the
 * commit is heard. Unknown and refused keys are never kept: they always ask the database.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private listening = false;
  /** Bumped by every clear: a lookup that began before a clear must not store what it read. */
  private generation = 0;

  /** The key's identity when it was verified within the TTL; undefined means ask `verify`. */
  peek(key: string, now = Date.now()): ApiKeyIdentity | undefined {
    return this.listening ? this.fresh(hashOf(key), now) : undefined;
  }

  async verify(db: Db, key: string, now = Date.now()): Promise<ApiKeyIdentity | null> {
    if (!this.listening) return (await lookupApiKey(db, key))?.identity ?? null;
    const hash = hashOf(key);
    const hit = this.fresh(hash, now);
    if (hit) return hit;
    const generation = this.generation;
    const found = await lookupApiKey(db, key);
    if (!found) {
      this.entries.delete(hash);
      return null;
    }
    if (generation === this.generation) {
      if (this.entries.size >= API_KEY_CACHE_LIMITS.maxEntries) this.entries.clear();
      const expires = found.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      this.entries.set(hash, {
        identity: found.identity,
        until: Math.min(now + API_KEY_CACHE_LIMITS.ttlMs, expires),
      });
    }
    return found.identity;
  }

  private fresh(hash: string, now: number): ApiKeyIdentity | undefined {
    const hit = this.entries.get(hash);
    return hit && hit.until > now ? hit.identity : undefined;
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }

  /** LISTENs on `sql`'s own connection; every (re)listen clears, since notifications sent meanwhile are lost. */
  async listen(sql: Sql): Promise<{ unlisten(): Promise<void> }> {
    const sub = await sql.listen(
      API_KEYS_CHANNEL,
      () => this.clear(),
      () => {
        this.clear();
        this.listening = true;
      },
    );
    return {
      unlisten: async () => {
        this.listening = false;
        this.clear();
        await sub.unlisten();
      },
    };
  }
}
