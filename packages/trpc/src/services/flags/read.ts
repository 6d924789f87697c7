// Reads of flags: the list with per-environment summaries, one flag in full, the stale report, the change markers.
import { type DbOrTx, sql } from '@sextant/db';
import type { Strategy, Variant } from '@sextant/flags';
import type { z } from 'zod';
import { FLAG_LIMITS } from '../../limits';
import type {
  FLAG_LIFECYCLES,
  flagChangesInput,
  flagListInput,
  flagsForServicesInput,
} from '../../schemas/flags';
import { getFlag } from './store';

export type FlagLifecycle = (typeof FLAG_LIFECYCLES)[number];

// Computed, never stored: archived, else stale when neither changed nor evaluated for staleAfterDays.
const LIFECYCLE = sql`case when f.archived_at is not null then 'archived'
  when greatest(f.last_changed_at, coalesce(f.last_evaluated_at, f.last_changed_at))
    < now() - make_interval(days => f.stale_after_days) then 'stale' else 'active' end`;

const FLAG_COLUMNS = sql`f.id, f.key, f.description, f.type, f.owner_user_id as "owner", f.tags,
  f.stale_after_days as "staleAfterDays", f.last_changed_at as "lastChangedAt",
  f.last_evaluated_at as "lastEvaluatedAt", f.archived_at as "archivedAt", f.created_at as "createdAt",
  f.updated_at as "updatedAt", ${LIFECYCLE} as lifecycle`;

export interface FlagSummary {
  id: string;
  key: string;
  description: string | null;
  type: 'boolean' | 'string' | 'number' | 'json';
  owner: string | null;
  tags: string[];
  staleAfterDays: number;
  lastChangedAt: Date;
  lastEvaluatedAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lifecycle: FlagLifecycle;
}

const rows = async <T>(db: DbOrTx, query: ReturnType<typeof sql>) =>
  (await db.execute(query)) as unknown as T[];

const dates = <T extends object>(row: T, keys: (keyof T)[]): T => {
  for (const k of keys)
    if (typeof row[k] === 'string') (row as Record<keyof T, unknown>)[k] = new Date(row[k] as string);
  return row;
};
const flagDates = <T extends FlagSummary>(r: T) =>
  dates(r, ['lastChangedAt', 'lastEvaluatedAt', 'archivedAt', 'createdAt', 'updatedAt']);

export async function listFlags(db: DbOrTx, input: z.output<typeof flagListInput>) {
  const tag = input.tag ? sql`and ${input.tag} = any(f.tags)` : sql``;
  const search = input.search
    ? sql`and (strpos(lower(f.key), lower(${input.search})) > 0
        or strpos(lower(coalesce(f.description, '')), lower(${input.search})) > 0)`
    : sql``;
  const archived = input.archived ? sql`f.archived_at is not null` : sql`f.archived_at is null`;
  const list = await rows<
    FlagSummary & { environments: { environment: string; enabled: boolean; version: number }[] }
  >(
    db,
    sql`select ${FLAG_COLUMNS},
      coalesce((select json_agg(json_build_object('environment', e.name, 'enabled', coalesce(fe.enabled, false),
          'version', coalesce(fe.version, 0)) order by e.position)
        from environments e left join flag_environments fe on fe.flag_id = f.id and fe.environment_id = e.id),
        '[]') as environments
    from flags f where ${archived} ${tag} ${search}
    order by f.key limit ${FLAG_LIMITS.listRows}`,
  );
  return list.map(flagDates);
}

export interface FlagEnvironmentConfig {
  environment: string;
  isProduction: boolean;
  enabled: boolean;
  strategies: Strategy[];
  variants: Variant[];
  variantStickiness: string;
  version: number;
  updatedAt: Date | null;
}

/** One flag in full: every environment's configuration (disabled where it has no row yet) and its services. */
export async function getFlagDetail(db: DbOrTx, key: string) {
  const flag = await getFlag(db, key);
  const [summary] = await rows<FlagSummary>(
    db,
    sql`select ${FLAG_COLUMNS} from flags f where f.id = ${flag.id}`,
  );
  const envs = await rows<FlagEnvironmentConfig>(
    db,
    sql`select e.name as environment, e.is_production as "isProduction", coalesce(fe.enabled, false) as enabled,
      coalesce(fe.strategies, '[]'::jsonb) as strategies, coalesce(fe.variants, '[]'::jsonb) as variants,
      coalesce(fe.variant_stickiness, 'default') as "variantStickiness", coalesce(fe.version, 0) as version,
      fe.updated_at as "updatedAt"
    from environments e left join flag_environments fe on fe.flag_id = ${flag.id} and fe.environment_id = e.id
    order by e.position`,
  );
  const linked = await rows<{ id: string; slug: string; name: string }>(
    db,
    sql`select s.id, s.slug, s.name from flag_services fs join services s on s.id = fs.service_id
    where fs.flag_id = ${flag.id} order by s.name`,
  );
  return {
    ...flagDates(summary!),
    environments: envs.map((e) => dates(e, ['updatedAt'])),
    services: linked,
  };
}

/** Flags neither changed nor evaluated for their staleAfterDays, oldest activity first (archived ones left out). */
export async function staleReport(db: DbOrTx) {
  const list = await rows<FlagSummary & { idleDays: number }>(
    db,
    sql`select * from (select ${FLAG_COLUMNS},
        floor(extract(epoch from now() - greatest(f.last_changed_at,
          coalesce(f.last_evaluated_at, f.last_changed_at))) / 86400)::int as "idleDays"
      from flags f where f.archived_at is null) s
    where s.lifecycle = 'stale' order by s."idleDays" desc, s.key limit ${FLAG_LIMITS.listRows}`,
  );
  return list.map(flagDates);
}

export interface FlagChange {
  id: string;
  flagKey: string;
  environment: string | null;
  summary: string;
  at: Date;
  actorUserId: string | null;
}

/** Changes in [from, to) of one flag and/or the flags linked to one service: chart markers, incident context. */
export async function listFlagChanges(db: DbOrTx, input: z.output<typeof flagChangesInput>) {
  const where = sql`c.at >= ${input.from} and c.at < ${input.to}
    ${input.flagKey !== undefined ? sql`and f.key = ${input.flagKey}` : sql``}
    ${
      input.serviceId !== undefined
        ? sql`and exists (select 1 from flag_services fs where fs.flag_id = c.flag_id and fs.service_id = ${input.serviceId})`
        : sql``
    }`;
  const from = sql`from flag_changes c join flags f on f.id = c.flag_id left join environments e on e.id = c.environment_id`;
  const [total] = await rows<{ n: number }>(db, sql`select count(*)::int as n ${from} where ${where}`);
  const changes = await rows<FlagChange>(
    db,
    sql`select c.id, f.key as "flagKey", e.name as environment, c.summary, c.at, c.actor_user_id as "actorUserId"
    ${from} where ${where} order by c.at desc, c.id limit ${FLAG_LIMITS.changesRows}`,
  );
  return { count: total!.n, changes: changes.map((c) => dates(c, ['at'])) };
}

export interface ServiceFlagEnvironment {
  environment: string;
  enabled: boolean;
  version: number;
  updatedAt: Date | null;
}

export interface ServiceFlag {
  key: string;
  type: FlagSummary['type'];
  description: string | null;
  lifecycle: FlagLifecycle;
  /** The asked services this flag is linked to. */
  services: { id: string; slug: string; name: string }[];
  /** Production environments only: where a kill switch matters. */
  environments: ServiceFlagEnvironment[];
  /** The newest change at or before `before` (null without `before` or when none in changesRangeDays). */
  lastChange: Omit<FlagChange, 'flagKey'> | null;
}

/**
 * The flags (archived ones left out) linked to any of these services, named by id or slug, unknown ones skipped:
 * an incident's or alert's "Flags of these services", with the flag flipped before it.
 */
export async function flagsForServices(db: DbOrTx, input: z.output<typeof flagsForServicesInput>) {
  const refs = [...new Set(input.services)];
  const linked = sql`select fs.flag_id, s.id, s.slug, s.name from flag_services fs join services s on s.id = fs.service_id
    where s.slug in ${refs} or s.id::text in ${refs}`;
  const last = input.before
    ? sql`(select json_build_object('id', c.id, 'environment', ce.name, 'summary', c.summary, 'at', c.at,
          'actorUserId', c.actor_user_id)
        from flag_changes c left join environments ce on ce.id = c.environment_id
        where c.flag_id = f.id and c.at <= ${input.before}
          and c.at > ${input.before}::timestamptz - make_interval(days => ${FLAG_LIMITS.changesRangeDays})
        order by c.at desc, c.id desc limit 1)`
    : sql`null`;
  const list = await rows<ServiceFlag>(
    db,
    sql`with linked as (${linked})
    select f.key, f.type, f.description, ${LIFECYCLE} as lifecycle,
      (select json_agg(json_build_object('id', l.id, 'slug', l.slug, 'name', l.name) order by l.name)
        from linked l where l.flag_id = f.id) as services,
      coalesce((select json_agg(json_build_object('environment', e.name, 'enabled', coalesce(fe.enabled, false),
          'version', coalesce(fe.version, 0), 'updatedAt', fe.updated_at) order by e.position)
        from environments e left join flag_environments fe on fe.flag_id = f.id and fe.environment_id = e.id
        where e.is_production), '[]') as environments,
      ${last} as "lastChange"
    from flags f where f.archived_at is null and exists (select 1 from linked l where l.flag_id = f.id)
    order by f.key limit ${FLAG_LIMITS.serviceFlagsRows + 1}`,
  );
  return {
    flags: list.slice(0, FLAG_LIMITS.serviceFlagsRows).map((f) => ({
      ...f,
      environments: f.environments.map((e) => dates(e, ['updatedAt'])),
      lastChange: f.lastChange ? dates(f.lastChange, ['at']) : null,
    })),
    truncated: list.length > FLAG_LIMITS.serviceFlagsRows,
  };
}

/**
 * A service's flag changes in [from, to] as chart markers, of one environment (and the flags' own changes) or all:
 * the newest `limit`, oldest first; `truncated` says when older ones were left out.
 */
export async function flagChangeMarkers(
  db: DbOrTx,
  input: { serviceId: string; environmentId: string | null; from: Date; to: Date; limit: number },
) {
  const env =
    input.environmentId === null
      ? sql``
      : sql`and (c.environment_id is null or c.environment_id = ${input.environmentId})`;
  const list = await rows<FlagChange>(
    db,
    sql`select c.id, f.key as "flagKey", e.name as environment, c.summary, c.at, c.actor_user_id as "actorUserId"
    from flag_changes c join flags f on f.id = c.flag_id left join environments e on e.id = c.environment_id
    where c.at >= ${input.from} and c.at <= ${input.to} ${env}
      and exists (select 1 from flag_services fs where fs.flag_id = c.flag_id and fs.service_id = ${input.serviceId})
    order by c.at desc, c.id desc limit ${input.limit + 1}`,
  );
  return {
    items: list
      .slice(0, input.limit)
      .map((c) => dates(c, ['at']))
      .reverse(),
    truncated: list.length > input.limit,
  };
}
