import type { Role } from '@sextant/db';
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { appRouter } from '../../src/root';
import type { Fixture } from '../fixtures';
import { refusalOf } from '../fixtures';

/** A calendar day `offset` days from today (UTC). */
export const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The refusal a call ends in: its appCode, field path and message. */
export async function refused(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the call must be refused').toBeInstanceOf(TRPCError);
  return refusalOf(err);
}

export const callerAs = (f: Fixture, role: Role) => appRouter.createCaller(f.ctx(f.user(role)));

/** Audit actions recorded on one target, oldest first. */
export async function auditActions(f: Fixture, targetId: string) {
  const rows = await f.database.sql<{ action: string }[]>`
    select action from audit_log where target_id = ${targetId} order by id`;
  return rows.map((r) => r.action);
}

export async function auditCount(f: Fixture) {
  const [row] = await f.database.sql<{ n: number }[]>`select count(*)::int as n from audit_log`;
  return row!.n;
}

let n = 0;
export const unique = (p: string) => `${p} ${++n} ${Date.now().toString(36)}`;

/** Every project table the API writes, and the audit log. */
const PROJECT_TABLES = [
  'projects',
  'project_members',
  'project_subscribers',
  'project_services',
  'milestones',
  'work_items',
  'project_updates',
  'project_share_links',
  'audit_log',
] as const;

/** A hash of each project table's rows: a refused write leaves every one of them as it was. */
export async function projectTablesHash(f: Pick<Fixture, 'database'>) {
  const out: Record<string, string> = {};
  for (const t of PROJECT_TABLES) {
    const [row] = await f.database.sql<{ h: string }[]>`
      select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as h from ${f.database.sql(t)} t`;
    out[t] = row!.h;
  }
  return out;
}
