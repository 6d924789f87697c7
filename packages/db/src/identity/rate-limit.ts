import { eq, sql } from 'drizzle-orm';
import type { Db, Sql } from '../client';
import { rateLimits } from '../schema';

export interface RateLimitPolicy {
  max: number;
  windowSeconds: number;
}

export interface RateLimitState {
  limited: boolean;
  count: number;
  /** Seconds until the window resets; 0 when not limited. */
  retryAfterSeconds: number;
}

function stateOf(count: number, windowStart: Date, policy: RateLimitPolicy): RateLimitState {
  const resetsIn = Math.max(
    1,
    Math.ceil((windowStart.getTime() + policy.windowSeconds * 1000 - Date.now()) / 1000),
  );
  const limited = count >= policy.max;
  return { limited, count, retryAfterSeconds: limited ? resetsIn : 0 };
}

/** Reads a counter without changing it. */
export async function peekRateLimit(db: Db, key: string, policy: RateLimitPolicy): Promise<RateLimitState> {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1);
  if (!row || row.windowStart.getTime() + policy.windowSeconds * 1000 <= Date.now()) {
    return { limited: false, count: 0, retryAfterSeconds: 0 };
  }
  return stateOf(row.count, row.windowStart, policy);
}

/** Counts one event atomically across instances (fixed window, restarted once it has passed). */
export async function hitRateLimit(db: Db, key: string, policy: RateLimitPolicy): Promise<RateLimitState> {
  const window = sql`make_interval(secs => ${policy.windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: sql`now()`, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} + ${window} <= now() then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${rateLimits.windowStart} + ${window} <= now() then now() else ${rateLimits.windowStart} end`,
      },
    })
    .returning();
  return stateOf(row!.count, row!.windowStart, policy);
}

/** Counters whose window ended long ago (every window in use is a day or shorter); returns how many went. */
export async function pruneRateLimits(sql: Sql): Promise<number> {
  const deleted = await sql`delete from rate_limits where window_start < now() - interval '1 day'`;
  return deleted.count;
}
