import { generateApiKey, type Role, schema } from '@sextant/db';
import type { Identity } from '../../src/context';
import { appRouter } from '../../src/root';
import { createFixtures, type Fixtures } from '../../src/testing';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

export interface DeployWorld {
  f: Fixture;
  fx: Fixtures;
  /** A caller as a signed-in user of `role`, or as a real API key of that role (its id lands in created_by). */
  as(role: Role, via?: 'user' | 'key'): Promise<ReturnType<typeof appRouter.createCaller>>;
  /** A fresh service's slug. */
  service(): Promise<string>;
  /** Row counts of every delivery table and of the audit log: "nothing written" compares two of these. */
  counts(): Promise<{ releases: number; commits: number; deployments: number; audit: number }>;
}

export async function deployWorld(): Promise<DeployWorld> {
  const f = await createFixture();
  const fx = await createFixtures(f.database);
  const keys = new Map<Role, Identity>();
  const keyOf = async (role: Role) => {
    const known = keys.get(role);
    if (known) return known;
    const { prefix, keyHash } = generateApiKey();
    const [row] = await f.database.primary
      .insert(schema.apiKeys)
      .values({ name: `${role} CI key`, prefix, keyHash, role, createdBy: f.users[role].id })
      .returning();
    const identity: Identity = {
      type: 'api_key',
      keyId: row!.id,
      name: row!.name,
      role,
      createdBy: f.users[role].id,
    };
    keys.set(role, identity);
    return identity;
  };
  return {
    f,
    fx,
    as: async (role, via = 'user') =>
      appRouter.createCaller(f.ctx(via === 'user' ? f.user(role) : await keyOf(role))),
    service: async () => (await fx.service()).slug,
    async counts() {
      const [row] = await f.database.sql<
        { releases: number; commits: number; deployments: number; audit: number }[]
      >`
        select (select count(*)::int from releases) as releases,
          (select count(*)::int from release_commits) as commits,
          (select count(*)::int from deployments) as deployments,
          (select count(*)::int from audit_log) as audit`;
      return row!;
    },
  };
}

/** The refusal of a call that must fail: its appCode, field and message. */
export async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  return refusalOf(err);
}
