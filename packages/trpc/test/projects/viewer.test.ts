import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { createFixtures, type Fixtures, PROCEDURES } from '../../src/testing';
import { createFixture, type Fixture } from '../fixtures';
import { refused } from './helpers';

let f: Fixture;
let objects: Fixtures;
beforeAll(async () => {
  f = await createFixture();
  objects = await createFixtures(f.database);
});
afterAll(async () => {
  await f?.close();
});

type Proc = { _def: { type: 'query' | 'mutation' | 'subscription' } };
const procedures = (appRouter._def as unknown as { procedures: Record<string, Proc> }).procedures;
const ours = Object.keys(procedures).filter((p) => /^(projects|milestones)\./.test(p));
/** A person's own digest subscription is not a change to the project: any signed-in role may. */
const SELF = new Set(['projects.subscribe', 'projects.unsubscribe']);
const writes = ours.filter((p) => procedures[p]!._def.type === 'mutation' && !SELF.has(p));
const reads = ours.filter((p) => procedures[p]!._def.type === 'query');

/** Rows of every project table and the audit log: a refused write changes none of them. */
async function state() {
  const [row] = await f.database.sql`
    select (select count(*) from projects)::int as projects,
      (select count(*) from project_members)::int as members,
      (select count(*) from project_services)::int as services,
      (select count(*) from project_updates)::int as updates,
      (select count(*) from milestones)::int as milestones,
      (select count(*) from project_share_links where revoked_at is null)::int as links,
      (select count(*) from audit_log)::int as audit,
      (select md5(coalesce(string_agg(p::text, ',' order by id), '')) from projects p) as projects_hash,
      (select md5(coalesce(string_agg(m::text, ',' order by id), '')) from milestones m) as milestones_hash`;
  return row;
}

const call = (path: string, input: unknown) => {
  // biome-ignore lint/suspicious/noExplicitAny: walking the router by its path string
  const node = path.split('.').reduce<any>((n, k) => n[k], appRouter.createCaller(f.ctx(f.user('viewer'))));
  return node(input) as Promise<unknown>;
};

it('covers the writes of projects and milestones (the list comes from the router)', () => {
  expect(writes).toHaveLength(16);
  expect(writes).toEqual(
    expect.arrayContaining(['projects.delete', 'projects.shareLinks.revoke', 'milestones.reorder']),
  );
});

it('requirement 17: a viewer gets FORBIDDEN on every project and milestone write, and nothing changes', async () => {
  for (const path of writes) {
    const input = await PROCEDURES[path]!.input?.(objects);
    const before = await state();
    const r = await refused(call(path, input));
    expect(r.code, path).toBe('FORBIDDEN');
    expect(await state(), path).toEqual(before);
  }
});

it('requirement 17: a viewer reads every project and milestone read', async () => {
  for (const path of reads.filter((p) => PROCEDURES[p]!.min === 'viewer')) {
    await expect(call(path, await PROCEDURES[path]!.input?.(objects)), path).resolves.toBeDefined();
  }
});
