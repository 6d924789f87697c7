// The one writer of flags, flag_environments, flag_services and flag_changes: each write is one transaction with
// its change row, its audit entry and its NOTIFY (delivered on commit only).
import { and, type DbOrTx, eq, inArray, type Queries, schema, sql } from '@sextant/db';
import type { Strategy, Variant } from '@sextant/flags';
import type { z } from 'zod';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import type {
  flagCreateInput,
  flagLinkServicesInput,
  flagSetEnvironmentInput,
  flagUpdateInput,
} from '../../schemas/flags';
import { audit } from '../audit';
import { resolveEnvironment } from '../releases';
import {
  changeSummary,
  clip,
  EMPTY_ENV_CONFIG,
  type EnvConfig,
  groupIdChanges,
  validateConfig,
} from './config';
import { FLAGS_CHANNEL } from './snapshot';

const { flags, flagEnvironments, flagServices, flagChanges, environments, services, users } = schema;
type Tx = Parameters<Parameters<ChangeContext['db']['transaction']>[0]>[0];
export type FlagRow = typeof flags.$inferSelect;
type Env = typeof environments.$inferSelect;

/** A flag as the audit trail shows it: any field named with the word "key" is redacted there as a credential, so the key is `flag`. */
const audited = <T extends { key: string }>({ key, ...rest }: T) => ({ flag: key, ...rest });

/** The flag with that key, locked for the rest of the transaction; FLAG_NOT_FOUND otherwise. */
export async function getFlag(db: DbOrTx, key: string, lock = false): Promise<FlagRow> {
  const query = db.select().from(flags).where(eq(flags.key, key)).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('FLAG_NOT_FOUND', `No flag "${key}".`, ['key']);
  return row;
}

/** The flag, locked, when it may change: an archived flag is read-only until unarchived (FLAG_ARCHIVED). */
async function getWritableFlag(tx: Tx, key: string): Promise<FlagRow> {
  const flag = await getFlag(tx, key, true);
  if (flag.archivedAt) {
    throw new AppError('FLAG_ARCHIVED', `"${key}" is archived; unarchive it before changing it.`, ['key']);
  }
  return flag;
}

async function envConfig(tx: Tx, flagId: string, environmentId: string): Promise<EnvConfig> {
  const [row] = await tx
    .select({
      enabled: flagEnvironments.enabled,
      strategies: flagEnvironments.strategies,
      variants: flagEnvironments.variants,
      variantStickiness: flagEnvironments.variantStickiness,
      version: flagEnvironments.version,
    })
    .from(flagEnvironments)
    .where(and(eq(flagEnvironments.flagId, flagId), eq(flagEnvironments.environmentId, environmentId)))
    .for('update');
  return row ?? EMPTY_ENV_CONFIG;
}

async function assertOwner(tx: Tx, owner: string | null | undefined) {
  if (!owner) return;
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.id, owner)).limit(1);
  if (!row) throw new AppError('VALIDATION_FAILED', 'The owner is not an existing user.', ['owner']);
}

async function assertServices(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: services.id })
    .from(services)
    .where(inArray(services.id, [...ids]));
  const missing = ids.filter((id) => !found.some((s) => s.id === id));
  if (missing.length) throw new AppError('SERVICE_NOT_FOUND', `No service ${missing[0]}.`, ['serviceIds']);
}

/** The change row, the flag's lastChangedAt and the NOTIFY every write ends with. */
async function recorded(tx: Tx, ctx: ChangeContext, flagId: string, env: Env | null, summary: string) {
  const actorUserId = ctx.identity?.type === 'user' ? ctx.identity.userId : null;
  await tx
    .insert(flagChanges)
    .values({ flagId, environmentId: env?.id ?? null, actorUserId, summary: clip(summary) });
  await tx
    .update(flags)
    .set({ lastChangedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(flags.id, flagId));
  await tx.execute(sql`select pg_notify(${FLAGS_CHANNEL}, ${env?.id ?? '*'})`);
}

/** Bumps every environment row of the flag (the snapshot's content changes: archived flags leave it). */
async function bumpAll(tx: Tx, flagId: string) {
  await tx
    .update(flagEnvironments)
    .set({ version: sql`${flagEnvironments.version} + 1`, updatedAt: sql`now()` })
    .where(eq(flagEnvironments.flagId, flagId));
}

export async function createFlag(ctx: ChangeContext, input: z.output<typeof flagCreateInput>) {
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: flags.id }).from(flags).where(eq(flags.key, input.key)).limit(1);
    if (taken) throw new AppError('FLAG_KEY_TAKEN', `A flag "${input.key}" exists already.`, ['key']);
    await assertOwner(tx, input.owner);
    const serviceIds = [...new Set(input.serviceIds)];
    await assertServices(tx, serviceIds);
    const [flag] = await tx
      .insert(flags)
      .values({
        key: input.key,
        type: input.type,
        description: input.description,
        ownerUserId: input.owner,
        tags: input.tags,
        staleAfterDays: input.staleAfterDays,
      })
      .returning();
    const envs = await tx.select({ id: environments.id }).from(environments);
    if (envs.length) {
      await tx.insert(flagEnvironments).values(envs.map((e) => ({ flagId: flag!.id, environmentId: e.id })));
    }
    if (serviceIds.length) {
      await tx.insert(flagServices).values(serviceIds.map((serviceId) => ({ flagId: flag!.id, serviceId })));
    }
    await audit(tx, ctx, {
      action: 'flag.create',
      targetType: 'flag',
      targetId: flag!.id,
      after: { ...audited(flag!), serviceIds },
    });
    await recorded(tx, ctx, flag!.id, null, `created (${input.type})`);
    return flag!;
  });
}

export async function updateFlag(ctx: ChangeContext, input: z.output<typeof flagUpdateInput>) {
  return ctx.db.transaction(async (tx) => {
    const before = await getWritableFlag(tx, input.key);
    await assertOwner(tx, input.owner);
    const set = {
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.owner !== undefined ? { ownerUserId: input.owner } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      ...(input.staleAfterDays !== undefined ? { staleAfterDays: input.staleAfterDays } : {}),
    };
    const [after] = await tx
      .update(flags)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(flags.id, before.id))
      .returning();
    await audit(tx, ctx, {
      action: 'flag.update',
      targetType: 'flag',
      targetId: before.id,
      before: audited(before),
      after: audited(after!),
    });
    const fields = Object.keys(set).map((k) => (k === 'ownerUserId' ? 'owner' : k));
    await recorded(tx, ctx, before.id, null, `updated ${fields.join(', ') || 'nothing'}`);
    return after!;
  });
}

type Change = Omit<EnvConfig, 'version'>;

/** The shared path of setEnvironment, toggle and kill: validate, check the fences, write, record. */
async function writeEnvironment(
  ctx: ChangeContext,
  key: string,
  environment: string,
  action: string,
  next: (current: EnvConfig) => { config: Change; expectedVersion?: number; confirmGroupIdChange?: boolean },
  summary?: string,
) {
  return ctx.db.transaction(async (tx) => {
    const flag = await getWritableFlag(tx, key);
    const env = await resolveEnvironment(tx, environment);
    const current = await envConfig(tx, flag.id, env.id);
    const wanted = next(current);
    if (wanted.expectedVersion !== undefined && wanted.expectedVersion !== current.version) {
      throw new AppError(
        'FLAG_VERSION_CONFLICT',
        `${env.name} is at version ${current.version}, not ${wanted.expectedVersion}: reload and try again.`,
        ['expectedVersion'],
      );
    }
    const config = validateConfig(flag.key, flag.type, wanted.config);
    const groupIds = groupIdChanges(flag.key, current.strategies, config.strategies);
    if (groupIds.length && !wanted.confirmGroupIdChange) {
      const g = groupIds[0]!;
      throw new AppError(
        'FLAG_GROUP_ID_CHANGE_UNCONFIRMED',
        `Changing the group id from "${g.from}" to "${g.to}" reshuffles every user; confirm it to save.`,
        ['strategies', g.strategy, 'groupId'],
      );
    }
    const values = {
      enabled: config.enabled,
      strategies: config.strategies,
      variants: config.variants,
      variantStickiness: config.variantStickiness,
      version: current.version + 1,
      updatedByUserId: ctx.identity?.type === 'user' ? ctx.identity.userId : null,
      updatedAt: new Date(),
    };
    await tx
      .insert(flagEnvironments)
      .values({ flagId: flag.id, environmentId: env.id, ...values })
      .onConflictDoUpdate({ target: [flagEnvironments.flagId, flagEnvironments.environmentId], set: values });
    const after = { ...config, version: values.version };
    await audit(tx, ctx, {
      action,
      targetType: 'flag',
      targetId: flag.id,
      before: { flag: flag.key, type: flag.type, environment: env.name, ...current },
      after: {
        ...audited(after),
        environment: env.name,
        ...(groupIds.length ? { groupIdChanges: groupIds } : {}),
      },
    });
    await recorded(
      tx,
      ctx,
      flag.id,
      env,
      summary ? `${env.name}: ${summary}` : changeSummary(env.name, current, config, groupIds),
    );
    return { ...after, environment: env.name };
  });
}

export function setFlagEnvironment(ctx: ChangeContext, input: z.output<typeof flagSetEnvironmentInput>) {
  return writeEnvironment(ctx, input.key, input.environment, 'flag.setEnvironment', (current) => ({
    config: {
      enabled: input.enabled ?? current.enabled,
      // Unknown items go to flagConfigSchema as they came: it is the one judge of their shape.
      strategies: (input.strategies ?? current.strategies) as Strategy[],
      variants: (input.variants ?? current.variants) as Variant[],
      variantStickiness: input.variantStickiness ?? current.variantStickiness,
    },
    expectedVersion: input.expectedVersion,
    confirmGroupIdChange: input.confirmGroupIdChange,
  }));
}

export function toggleFlag(ctx: ChangeContext, key: string, environment: string, enabled: boolean) {
  return writeEnvironment(ctx, key, environment, 'flag.toggle', (current) => ({
    config: { ...current, enabled },
  }));
}

/** Off in one environment, whatever its strategies: the incident's one-click answer. */
export function killFlag(ctx: ChangeContext, key: string, environment: string) {
  return writeEnvironment(
    ctx,
    key,
    environment,
    'flag.kill',
    (current) => ({ config: { ...current, enabled: false } }),
    'kill switch',
  );
}

export function setFlagArchived(ctx: ChangeContext, key: string, archived: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await getFlag(tx, key, true);
    if ((before.archivedAt !== null) === archived) return before;
    const [after] = await tx
      .update(flags)
      .set({ archivedAt: archived ? new Date() : null })
      .where(eq(flags.id, before.id))
      .returning();
    await bumpAll(tx, before.id);
    const action = archived ? 'flag.archive' : 'flag.unarchive';
    await audit(tx, ctx, {
      action,
      targetType: 'flag',
      targetId: before.id,
      before: audited(before),
      after: audited(after!),
    });
    await recorded(tx, ctx, before.id, null, archived ? 'archived' : 'unarchived');
    return after!;
  });
}

/** Only an archived flag: clients have been answering their defaults since it left the snapshots. */
export function deleteFlag(ctx: ChangeContext, key: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getFlag(tx, key, true);
    if (before.archivedAt === null) {
      throw new AppError('FLAG_NOT_ARCHIVED', `Archive "${key}" before deleting it.`, ['key']);
    }
    await tx.delete(flags).where(eq(flags.id, before.id));
    await audit(tx, ctx, {
      action: 'flag.delete',
      targetType: 'flag',
      targetId: before.id,
      before: audited(before),
    });
    await tx.execute(sql`select pg_notify(${FLAGS_CHANNEL}, '*')`);
    return { key };
  });
}

export function linkFlagServices(ctx: ChangeContext, input: z.output<typeof flagLinkServicesInput>) {
  return ctx.db.transaction(async (tx) => {
    const flag = await getWritableFlag(tx, input.key);
    const serviceIds = [...new Set(input.serviceIds)];
    await assertServices(tx, serviceIds);
    const before = await tx
      .select({ id: flagServices.serviceId })
      .from(flagServices)
      .where(eq(flagServices.flagId, flag.id));
    await tx.delete(flagServices).where(eq(flagServices.flagId, flag.id));
    if (serviceIds.length) {
      await tx.insert(flagServices).values(serviceIds.map((serviceId) => ({ flagId: flag.id, serviceId })));
    }
    await audit(tx, ctx, {
      action: 'flag.linkServices',
      targetType: 'flag',
      targetId: flag.id,
      before: { flag: flag.key, serviceIds: before.map((s) => s.id).sort() },
      after: { flag: flag.key, serviceIds: [...serviceIds].sort() },
    });
    await recorded(tx, ctx, flag.id, null, `linked services: ${serviceIds.length}`);
    return { key: flag.key, serviceIds };
  });
}

/**
 * Sets last_evaluated_at of these flags to `at` in one statement, unless already later (a slower instance's flush
 * stamped earlier). The evaluation counter's flush calls it.
 */
export async function markFlagsEvaluated(tx: Queries, keys: string[], at: Date): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await tx`
    update flags set last_evaluated_at = ${at}
    where key = any(${keys}::text[]) and (last_evaluated_at is null or last_evaluated_at < ${at})
    returning 1`;
  return rows.length;
}
