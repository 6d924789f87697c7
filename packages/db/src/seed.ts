import { sql as dsql } from 'drizzle-orm';
import type { Db } from './client';
import { appMeta, environments } from './schema';

const SEED_LOCK_KEY = 0x73656564n;

export const DEFAULT_ENVIRONMENTS = [
  { name: 'DEV', position: 0, isProduction: false },
  { name: 'FAT', position: 1, isProduction: false },
  { name: 'UAT', position: 2, isProduction: false },
  { name: 'PRO', position: 3, isProduction: true },
] as const;

export interface SeedResult {
  seeded: boolean;
}

/** Seeds defaults once per database; the marker row and a transaction lock keep concurrent starts from doubling it. */
export async function seedOnFirstRun(db: Db): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    await tx.execute(dsql`select pg_advisory_xact_lock(${SEED_LOCK_KEY.toString()}::bigint)`);
    const done = await tx.query.appMeta.findFirst({ where: (m, { eq }) => eq(m.key, 'seeded_at') });
    if (done) return { seeded: false };
    await tx
      .insert(environments)
      .values([...DEFAULT_ENVIRONMENTS])
      .onConflictDoNothing();
    await tx.insert(appMeta).values({ key: 'seeded_at', value: new Date().toISOString() });
    return { seeded: true };
  });
}
