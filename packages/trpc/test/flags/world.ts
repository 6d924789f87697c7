// Shared setup of the flags tests: a fresh database with the four environments, callers per role, table hashes.

import { appRouter } from '../../src/root';
import { createFixtures, type Fixtures } from '../../src/testing/fixtures';
import { createFixture, type Fixture } from '../fixtures';

export interface World {
  f: Fixture;
  fx: Fixtures;
  as(role: 'viewer' | 'maintainer' | 'admin', key?: boolean): ReturnType<typeof appRouter.createCaller>;
  /** A hash of every row of the four flag tables and the audit log: "nothing changed" means it is equal. */
  hash(): Promise<string>;
  close(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  const f = await createFixture();
  const fx = await createFixtures(f.database);
  return {
    f,
    fx,
    as: (role, key = false) => appRouter.createCaller(f.ctx(key ? f.apiKey(role) : f.user(role))),
    async hash() {
      const [row] = await f.database.sql<{ h: string }[]>`
        select md5(concat_ws('|',
          (select string_agg(t::text, ',' order by t::text) from flags t),
          (select string_agg(t::text, ',' order by t::text) from flag_environments t),
          (select string_agg(t::text, ',' order by t::text) from flag_services t),
          (select string_agg(t::text, ',' order by t::text) from flag_changes t),
          (select count(*)::text from audit_log))) as h`;
      return row!.h;
    },
    close: () => f.close(),
  };
}

/** The rejection of `promise`, for refusalOf. */
export const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
