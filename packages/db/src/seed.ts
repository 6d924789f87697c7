import { sql as dsql } from 'drizzle-orm';
import { writeAudit } from './audit';
import type { Db } from './client';
import { generatePassword, hashPassword } from './identity/passwords';
import { appMeta, environments, users } from './schema';

const SEED_LOCK_KEY = 0x73656564n;

export const DEFAULT_ENVIRONMENTS = [
  { name: 'DEV', position: 0, isProduction: false },
  { name: 'FAT', position: 1, isProduction: false },
  { name: 'UAT', position: 2, isProduction: false },
  { name: 'PRO', position: 3, isProduction: true },
] as const;

export interface SeedOptions {
  adminEmail?: string;
  /** Used as given; when absent a password is generated and returned once. */
  adminPassword?: string;
}

export interface SeedResult {
  seeded: boolean;
  /** The first admin; `password` is set only when it was generated here and must be shown once. */
  admin?: { email: string; password?: string };
}

/** Seeds defaults once per database; the marker row and a transaction lock keep concurrent starts from doubling it. */
export async function seedOnFirstRun(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const email = (options.adminEmail ?? 'admin@sextant.local').toLowerCase();
  return db.transaction(async (tx) => {
    await tx.execute(dsql`select pg_advisory_xact_lock(${SEED_LOCK_KEY.toString()}::bigint)`);
    const done = await tx.query.appMeta.findFirst({ where: (m, { eq }) => eq(m.key, 'seeded_at') });
    if (done) return { seeded: false };
    const generated = options.adminPassword ? undefined : generatePassword();
    const passwordHash = await hashPassword(options.adminPassword ?? generated!);
    await tx
      .insert(environments)
      .values([...DEFAULT_ENVIRONMENTS])
      .onConflictDoNothing();
    const [admin] = await tx
      .insert(users)
      .values({ email, name: 'Administrator', role: 'admin', passwordHash, mustChangePassword: !!generated })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (admin) {
      await writeAudit(tx, {
        actor: { type: 'system', id: null, label: 'first-run seed' },
        action: 'user.create',
        targetType: 'user',
        targetId: admin.id,
        after: { email, role: 'admin' },
      });
    }
    await tx.insert(appMeta).values({ key: 'seeded_at', value: new Date().toISOString() });
    return { seeded: true, admin: admin ? { email, password: generated } : undefined };
  });
}
