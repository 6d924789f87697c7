import { and, asc, type DbOrTx, eq, gt, type Sql, schema, sql } from '@sextant/db';
import type { Context, Identity } from '../context';
import { AppError } from '../errors';
import { getService, UUID } from './services';

const { instances, environments } = schema;

async function environmentId(db: DbOrTx, nameOrId: string) {
  const isUuid = UUID.test(nameOrId);
  const [env] = await db
    .select({ id: environments.id })
    .from(environments)
    .where(
      isUuid ? eq(environments.id, nameOrId) : eq(sql`lower(${environments.name})`, nameOrId.toLowerCase()),
    )
    .limit(1);
  if (!env) throw new AppError('NOT_FOUND', `No environment "${nameOrId}".`);
  return env.id;
}

export interface RegisterInput {
  service: string;
  environment: string;
  host: string;
  port: number;
  version?: string | null;
  metadata: Record<string, string>;
  ttlSeconds: number;
}

/** Upserts by (service, environment, host, port): re-registering a restarted instance refreshes it. */
export async function registerInstance(
  ctx: Pick<Context, 'db'> & { identity: Identity },
  input: RegisterInput,
) {
  const service = await getService(ctx.db, input.service);
  const envId = await environmentId(ctx.db, input.environment);
  const expiresAt = sql`now() + make_interval(secs => ${input.ttlSeconds})`;
  const by =
    ctx.identity.type === 'api_key'
      ? { registeredByKey: ctx.identity.keyId }
      : { registeredByUser: ctx.identity.userId };
  const [row] = await ctx.db
    .insert(instances)
    .values({
      serviceId: service.id,
      environmentId: envId,
      host: input.host,
      port: input.port,
      version: input.version ?? null,
      metadata: input.metadata,
      ttlSeconds: input.ttlSeconds,
      expiresAt,
      ...by,
    })
    .onConflictDoUpdate({
      target: [instances.serviceId, instances.environmentId, instances.host, instances.port],
      set: {
        version: input.version ?? null,
        metadata: input.metadata,
        ttlSeconds: input.ttlSeconds,
        lastHeartbeatAt: sql`now()`,
        expiresAt,
        registeredAt: sql`case when ${instances.expiresAt} < now() then now() else ${instances.registeredAt} end`,
      },
    })
    .returning();
  return row!;
}

export async function heartbeatInstance(ctx: Pick<Context, 'db'>, id: string) {
  const [row] = await ctx.db
    .update(instances)
    .set({
      lastHeartbeatAt: sql`now()`,
      expiresAt: sql`now() + make_interval(secs => ${instances.ttlSeconds})`,
    })
    .where(and(eq(instances.id, id), gt(instances.expiresAt, sql`now()`)))
    .returning();
  if (!row) throw new AppError('NOT_FOUND', 'No live instance with that id; register again.');
  return row;
}

export async function deregisterInstance(ctx: Pick<Context, 'db'>, id: string) {
  const rows = await ctx.db.delete(instances).where(eq(instances.id, id)).returning({ id: instances.id });
  return { removed: rows.length > 0 };
}

/** The cleanup job: instances past their TTL. */
export function expireInstances(pool: Sql) {
  return pool`delete from instances where expires_at < now()`;
}

/** Live instances only: anything past its TTL is invisible even before the cleanup job deletes it. */
export async function listInstances(
  ctx: Pick<Context, 'db'>,
  input: { service: string; environment?: string },
) {
  const service = await getService(ctx.db, input.service);
  const envId = input.environment ? await environmentId(ctx.db, input.environment) : undefined;
  return ctx.db
    .select({
      id: instances.id,
      host: instances.host,
      port: instances.port,
      version: instances.version,
      metadata: instances.metadata,
      environment: environments.name,
      registeredAt: instances.registeredAt,
      lastHeartbeatAt: instances.lastHeartbeatAt,
      expiresAt: instances.expiresAt,
    })
    .from(instances)
    .innerJoin(environments, eq(environments.id, instances.environmentId))
    .where(
      and(
        eq(instances.serviceId, service.id),
        envId ? eq(instances.environmentId, envId) : undefined,
        gt(instances.expiresAt, sql`now()`),
      ),
    )
    .orderBy(asc(instances.host), asc(instances.port));
}
