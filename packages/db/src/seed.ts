import { isIP } from 'node:net';
import { sql as dsql, eq } from 'drizzle-orm';
import { writeAudit } from './audit';
import { plainGet } from './check-config';
import type { Db, DbOrTx } from './client';
import { defaultCheckRule } from './default-alert-rule';
import { generatePassword, hashPassword } from './identity/passwords';
import { nextSlot, phaseOffsetMs } from './schedule';
import {
  alertRuleSchedule,
  alertRules,
  appMeta,
  checks,
  environments,
  milestones,
  projectServices,
  projectSnapshots,
  projects,
  projectUpdates,
  services,
  settings,
  statusPageComponents,
  statusPageEnvironments,
  statusPages,
  users,
  workItems,
} from './schema';
import { SETTINGS_KEYS } from './settings-keys';

const SEED_LOCK_KEY = 0x73656564n;

export const DEFAULT_ENVIRONMENTS = [
  { name: 'DEV', position: 0, isProduction: false },
  { name: 'FAT', position: 1, isProduction: false },
  { name: 'UAT', position: 2, isProduction: false },
  { name: 'PRO', position: 3, isProduction: true },
] as const;

export interface SeedOptions {
  adminEmail?: string;
  /** Used as given; when absent a password is generated and returned once. Either way it must be changed. */
  adminPassword?: string;
  /**
   * Sextant watches itself: its own API becomes the first service, with a check on this readiness URL.
   * Loopback is refused by default, so its address and port also get an (audited) outbound allow entry.
   * A function (it may resolve a host name), called only on the first run.
   */
  selfCheckUrl?: () => Promise<string | undefined>;
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
      // Also a password from the environment: it sits in shell history and deployment files.
      .values({ email, name: 'Administrator', role: 'admin', passwordHash, mustChangePassword: true })
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
    const selfCheckUrl = await options.selfCheckUrl?.();
    if (selfCheckUrl) await seedSelfMonitoring(tx, selfCheckUrl);
    await seedStatusPage(tx);
    await seedDemoProject(tx, admin?.id ?? null);
    await tx.insert(appMeta).values({ key: 'seeded_at', value: new Date().toISOString() });
    return { seeded: true, admin: admin ? { email, password: generated } : undefined };
  });
}

/** `http://127.0.0.1:4000/readyz` → `127.0.0.1:4000`: the exact address and port, nothing wider. */
export function allowEntryOf(raw: string): string | null {
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0) return null; // a name is vetted when resolved; an entry must be an address
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

async function allowSelfCheck(tx: DbOrTx, url: string) {
  const entry = allowEntryOf(url);
  if (!entry) return;
  const key = SETTINGS_KEYS.allowNetworks;
  const [row] = await tx.select().from(settings).where(eq(settings.key, key)).limit(1);
  const before = (row?.value as string[] | undefined) ?? [];
  if (before.includes(entry)) return;
  const allow = [...before, entry];
  await tx
    .insert(settings)
    .values({ key, value: allow })
    .onConflictDoUpdate({ target: settings.key, set: { value: allow, updatedAt: new Date() } });
  await writeAudit(tx, {
    actor: { type: 'system', id: null, label: 'first-run seed' },
    action: 'settings.outbound',
    targetType: 'settings',
    targetId: key,
    before: { allow: before },
    after: { allow },
  });
}

async function seedSelfMonitoring(tx: DbOrTx, url: string) {
  const [pro] = await tx.select().from(environments).where(dsql`${environments.name} = 'PRO'`).limit(1);
  if (!pro) return;
  await allowSelfCheck(tx, url);
  const [service] = await tx
    .insert(services)
    .values({
      name: 'Sextant API',
      slug: 'sextant-api',
      description: 'This Sextant installation watching itself.',
      owner: 'Sextant',
      tier: 'critical',
      tags: ['sextant'],
      isPublic: true,
    })
    .onConflictDoNothing()
    .returning();
  if (!service) return;
  const id = crypto.randomUUID();
  const interval = 30;
  const offset = phaseOffsetMs(id, interval);
  await tx.insert(checks).values({
    id,
    serviceId: service.id,
    environmentId: pro.id,
    name: 'readiness',
    kind: 'http',
    config: plainGet(url),
    intervalSeconds: interval,
    timeoutMs: 5_000,
    latencyThresholdMs: 1_000,
    phaseOffsetMs: offset,
    // First run within a few seconds so a new install shows data in its first minute.
    nextRunAt: new Date(Math.min(Date.now() + 3_000, nextSlot(Date.now(), interval, offset))),
  });
  await seedDefaultRule(tx, { id, name: 'readiness', serviceId: service.id, intervalSeconds: interval });
}

/** The seeded check's default alert rule and its slot, as the rule service makes them for every new check. */
async function seedDefaultRule(tx: DbOrTx, check: Parameters<typeof defaultCheckRule>[0]) {
  const [rule] = await tx.insert(alertRules).values(defaultCheckRule(check)).returning();
  const offset = phaseOffsetMs(rule!.id, rule!.intervalSeconds);
  await tx.insert(alertRuleSchedule).values({
    ruleId: rule!.id,
    intervalSeconds: rule!.intervalSeconds,
    phaseOffsetMs: offset,
    nextEvalAt: new Date(nextSlot(Date.now(), rule!.intervalSeconds, offset)),
  });
}

/** Demo data: one public page of the seeded public services in production, so the feature shows on a new install. */
async function seedStatusPage(tx: DbOrTx) {
  const [pro] = await tx.select().from(environments).where(dsql`${environments.name} = 'PRO'`).limit(1);
  if (!pro) return;
  const shown = await tx
    .select({ id: services.id })
    .from(services)
    .where(eq(services.isPublic, true))
    .orderBy(services.name);
  const [page] = await tx
    .insert(statusPages)
    .values({
      slug: 'acme',
      title: 'Acme status',
      visibility: 'public',
      footer: 'Demo page made by the first-run seed.',
    })
    .onConflictDoNothing()
    .returning();
  if (!page) return;
  await tx.insert(statusPageEnvironments).values({ pageId: page.id, environmentId: pro.id });
  if (shown.length)
    await tx
      .insert(statusPageComponents)
      .values(shown.map((s, position) => ({ pageId: page.id, serviceId: s.id, position })));
  await writeAudit(tx, {
    actor: { type: 'system', id: null, label: 'first-run seed' },
    action: 'status_page.create',
    targetType: 'status_page',
    targetId: page.id,
    after: {
      ...page,
      environmentIds: [pro.id],
      components: shown.map((s) => ({ serviceId: s.id, group: null })),
    },
  });
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Demo data: one project five weeks in, with two milestones, items (some un-estimated), scope added in week 3 and a
 * history of daily snapshots, so the portfolio, the burn-up and the prediction show something on a new install.
 */
async function seedDemoProject(tx: DbOrTx, ownerUserId: string | null) {
  const now = Date.now();
  const start = now - 35 * DAY_MS;
  const [project] = await tx
    .insert(projects)
    .values({
      name: 'Checkout v2 (demo)',
      description: 'Demo project made by the first-run seed: delete it when you add your own.',
      ownerUserId,
      startDate: isoDay(start),
      targetDate: isoDay(now + 21 * DAY_MS),
    })
    .onConflictDoNothing()
    .returning();
  if (!project) return;
  const [beta, ga] = await tx
    .insert(milestones)
    .values([
      { projectId: project.id, name: 'Beta', dueDate: isoDay(now + 4 * DAY_MS), position: 0 },
      { projectId: project.id, name: 'General availability', dueDate: project.targetDate, position: 1 },
    ])
    .returning();
  // [estimate, days after start it was done (null = open), added in week 3]
  const plan: [number | null, number | null, boolean][] = [
    [3, 4, false],
    [5, 8, false],
    [2, 9, false],
    [1, 11, false],
    [8, 15, false],
    [3, 17, false],
    [null, 19, false],
    [2, 22, false],
    [5, 24, false],
    [1, 27, false],
    [3, 30, false],
    [2, 33, false],
    [8, null, false],
    [5, null, false],
    [3, null, false],
    [null, null, false],
    [2, 25, true],
    [3, 31, true],
    [5, null, true],
    [1, null, true],
    [8, null, true],
    [null, null, true],
  ];
  const added = start + 16 * DAY_MS;
  await tx.insert(workItems).values(
    plan.map(([estimate, doneDay, late], i) => {
      const createdAt = new Date(late ? added : start);
      return {
        projectId: project.id,
        milestoneId: i % 3 === 2 ? ga!.id : beta!.id,
        title: `Demo item ${i + 1}`,
        estimate,
        status: doneDay === null ? (i % 4 === 0 ? 'in_progress' : 'todo') : 'done',
        labels: late ? ['scope-added'] : [],
        closedAt: doneDay === null ? null : new Date(start + doneDay * DAY_MS),
        createdAt,
        updatedAt: createdAt,
      } as const;
    }),
  );
  // One row per past day, as the daily job would have written it; today's row is the job's to write.
  const days = Math.floor((now - start) / DAY_MS);
  const points = (e: number | null) => e ?? project.defaultEstimate;
  await tx.insert(projectSnapshots).values(
    Array.from({ length: days }, (_, d) => {
      const open = plan.filter(([, , late]) => !late || d >= 16);
      const done = open.filter(([, doneDay]) => doneDay !== null && doneDay <= d);
      const sum = (rows: typeof plan) => rows.reduce((a, [e]) => a + points(e), 0);
      return {
        projectId: project.id,
        day: isoDay(start + d * DAY_MS),
        scopeCount: open.length,
        doneCount: done.length,
        scopePoints: sum(open),
        donePoints: sum(done),
        unestimatedCount: open.filter(([e]) => e === null).length,
        takenAt: new Date(start + (d + 1) * DAY_MS - 1),
      };
    }),
  );
  const [self] = await tx.select({ id: services.id }).from(services).where(eq(services.slug, 'sextant-api'));
  if (self) await tx.insert(projectServices).values({ projectId: project.id, serviceId: self.id });
  await tx.insert(projectUpdates).values({
    projectId: project.id,
    health: 'on_track',
    note: 'Payments provider sandbox is live; Beta scope grew by six items after the design review.',
    authorUserId: ownerUserId,
    createdAt: new Date(now - 3 * DAY_MS),
  });
  await writeAudit(tx, {
    actor: { type: 'system', id: null, label: 'first-run seed' },
    action: 'project.create',
    targetType: 'project',
    targetId: project.id,
    after: { ...project, milestones: [beta!.name, ga!.name], workItems: plan.length },
  });
}
