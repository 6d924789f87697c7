import { eq, type SQL, sql } from 'drizzle-orm';
import type { Db, Sql } from '../client';
import { signInThrottle } from '../schema';

export interface SignInDelayPolicy {
  /** Failures an account may have without any delay. */
  freeFailures: number;
  /** Failures are forgotten once the last one is this old. */
  windowSeconds: number;
  /** The longest an account ever has to wait between attempts. */
  maxDelaySeconds: number;
}

/**
 * When the next attempt may come after the n-th failure: at once (null) for the free ones, then 4 s doubling up
 * to the cap. The exponent stops where 2^e reaches the cap, so no failure count overflows power().
 */
function nextAttemptAfter(failures: SQL, p: SignInDelayPolicy): SQL {
  const maxExponent = Math.max(0, Math.ceil(Math.log2(p.maxDelaySeconds)));
  return sql`case when ${failures} < ${p.freeFailures}::int then null
    else now() + make_interval(secs => least(${p.maxDelaySeconds}::float8,
      power(2, least(${failures} - ${p.freeFailures}::int + 2, ${maxExponent}::int)))) end`;
}

export type SignInClaim = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Claims one sign-in attempt for an account, atomically across instances: refused while the account's delay
 * runs, otherwise counted as a failure right away (so parallel guesses cannot all slip in before the first
 * one is judged) until `clearSignInFailures` records a success.
 */
export async function claimSignInAttempt(
  db: Db,
  account: string,
  policy: SignInDelayPolicy,
): Promise<SignInClaim> {
  const t = signInThrottle;
  const failures = sql`case when ${t.lastFailureAt} + make_interval(secs => ${policy.windowSeconds}::float8) <= now()
    then 1 else ${t.failures} + 1 end`;
  const claimed = await db
    .insert(t)
    .values({
      account,
      failures: 1,
      lastFailureAt: sql`now()`,
      nextAttemptAt: nextAttemptAfter(sql`1`, policy),
    })
    .onConflictDoUpdate({
      target: t.account,
      set: {
        failures,
        lastFailureAt: sql`now()`,
        nextAttemptAt: nextAttemptAfter(failures, policy),
      },
      setWhere: sql`${t.nextAttemptAt} is null or ${t.nextAttemptAt} <= now()`,
    })
    .returning({ failures: t.failures });
  if (claimed.length > 0) return { allowed: true };
  const [row] = await db
    .select({ wait: sql<number>`extract(epoch from ${t.nextAttemptAt} - now())::float8` })
    .from(t)
    .where(eq(t.account, account));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(row?.wait ?? 1)) };
}

/** A successful sign-in: the account starts again with no failures. */
export async function clearSignInFailures(db: Db, account: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.account, account));
}

/**
 * Rows of accounts with no failure for two days and no delay running (the window and the delay are each at most
 * a day): one row per email ever tried would otherwise pile up forever. Returns how many went.
 */
export async function pruneSignInThrottle(sql: Sql): Promise<number> {
  const deleted = await sql`
    delete from sign_in_throttle
    where last_failure_at < now() - interval '2 days' and (next_attempt_at is null or next_attempt_at < now())`;
  return deleted.count;
}
