/** A real-Postgres world for the rollout store, worker and procedures: callers by role, counts, extra pools. */
import { createDatabase, type Database, type Role } from '@sextant/db';
import { inject } from 'vitest';
import { appRouter } from '../../src/root';
import { createFixtures, type Fixtures } from '../../src/testing';
import { insertReceiver } from '../../src/testing/notify-fixtures';
import { seedReleases } from '../../src/testing/rollout-fixtures';
import { createFixture, type Fixture } from '../fixtures';

export interface RolloutWorld {
  f: Fixture;
  fx: Fixtures;
  as(role: Role): ReturnType<typeof appRouter.createCaller>;
  /** A fresh service with 1.0.0 succeeded in the first environment and 2.0.0 made. */
  service(): Promise<{ service: string; environment: string }>;
  /** A receiver with one webhook integration. */
  receiver(): Promise<string>;
  /** Row counts: "nothing written" compares two of these. */
  counts(): Promise<
    Record<'rollouts' | 'runs' | 'measurements' | 'deployments' | 'audit' | 'outbox', number>
  >;
  /** Outbox rows of one rollout's webhooks, oldest first. */
  webhooks(rolloutId: string): Promise<{ from: string; to: string; change: number }[]>;
  /** `n` more connection pools on the same database, as n API instances would hold. */
  instances(n: number): Promise<Database[]>;
  close(): Promise<void>;
}

export async function rolloutWorld(): Promise<RolloutWorld> {
  const f = await createFixture();
  const fx = await createFixtures(f.database);
  const extra: Database[] = [];
  const maintainer = f.ctx(f.user('maintainer'));
  return {
    f,
    fx,
    as: (role) => appRouter.createCaller(f.ctx(f.user(role))),
    async service() {
      const slug = (await fx.service()).slug;
      const environment = (await fx.environment()).name;
      await seedReleases(maintainer, slug, environment);
      return { service: slug, environment };
    },
    receiver: async () => (await insertReceiver(f.database.primary, fx.unique('rollout-hooks'))).receiverId,
    async counts() {
      const [row] = await f.database.sql<Awaited<ReturnType<RolloutWorld['counts']>>[]>`
        select (select count(*)::int from rollouts) as rollouts,
          (select count(*)::int from rollout_analysis_runs) as runs,
          (select count(*)::int from rollout_measurements) as measurements,
          (select count(*)::int from deployments) as deployments,
          (select count(*)::int from audit_log) as audit,
          (select count(*)::int from notification_outbox) as outbox`;
      return row!;
    },
    webhooks: (rolloutId) =>
      f.database.sql<{ from: string; to: string; change: number }[]>`
        select payload->>'from' as "from", payload->>'to' as "to", (payload->>'change')::int as change
        from notification_outbox where route_id = ${`rollout:${rolloutId}`} order by (payload->>'change')::int`,
    async instances(n) {
      const [db] = await f.database.sql<{ name: string }[]>`select current_database() as name`;
      const url = new URL(inject('adminUrl'));
      url.pathname = `/${db!.name}`;
      const made = Array.from({ length: n }, () => createDatabase(url.toString(), { max: 2 }));
      extra.push(...made);
      return made;
    },
    async close() {
      await Promise.all(extra.map((d) => d.close()));
      await f.close();
    },
  };
}
