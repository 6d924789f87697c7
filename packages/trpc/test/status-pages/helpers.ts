import { type Role, schema } from '@sextant/db';
import { plainGet } from '@sextant/db/check-config';
import type { Identity } from '../../src/context';
import { appRouter } from '../../src/root';
import { createFixtures, type Fixtures } from '../../src/testing';
import { createFixture, type Fixture } from '../fixtures';

export interface PageWorld {
  f: Fixture;
  fx: Fixtures;
  as(role: Role, via?: 'user' | 'key'): ReturnType<typeof appRouter.createCaller>;
  anonymous(): ReturnType<typeof appRouter.createCaller>;
  caller(identity: Identity | null): ReturnType<typeof appRouter.createCaller>;
  /** A service, public or not, made directly (the page tests need many). */
  service(name: string, isPublic: boolean): Promise<{ id: string; slug: string }>;
  /** The environments by name (DEV, FAT, UAT, PRO). */
  env(name: string): Promise<string>;
  /** A monitor in `status`, inserted as the scheduler would leave it (with a URL and an error text). */
  check(
    serviceId: string,
    environmentId: string,
    status: 'up' | 'down' | 'degraded',
    extra?: { url?: string; error?: string },
  ): Promise<string>;
  counts(): Promise<{ pages: number; components: number; environments: number; audit: number }>;
}

export async function pageWorld(): Promise<PageWorld> {
  const f = await createFixture();
  const fx = await createFixtures(f.database);
  const db = f.database.primary;
  const sql = f.database.sql;
  const caller = (identity: Identity | null) => appRouter.createCaller(f.ctx(identity));
  return {
    f,
    fx,
    caller,
    as: (role, via = 'user') => caller(via === 'user' ? f.user(role) : f.apiKey(role)),
    anonymous: () => caller(null),
    async service(name, isPublic) {
      const slug = fx.unique(name.toLowerCase().replaceAll(' ', '-'));
      const [row] = await db
        .insert(schema.services)
        .values({ name: `${name} ${slug}`, slug, isPublic })
        .returning();
      return { id: row!.id, slug };
    },
    async env(name) {
      const [row] = await sql<{ id: string }[]>`select id from environments where name = ${name}`;
      return row!.id;
    },
    async check(serviceId, environmentId, status, extra = {}) {
      const [row] = await db
        .insert(schema.checks)
        .values({
          serviceId,
          environmentId,
          name: fx.unique('check'),
          kind: 'http',
          config: plainGet(extra.url ?? 'https://example.com/health'),
          intervalSeconds: 60,
          timeoutMs: 2_000,
          phaseOffsetMs: 0,
          nextRunAt: new Date(Date.now() + 3_600_000),
          status,
          lastError: extra.error ?? null,
        })
        .returning();
      return row!.id;
    },
    async counts() {
      const [row] = await sql<{ pages: number; components: number; environments: number; audit: number }[]>`
        select (select count(*)::int from status_pages) as pages,
          (select count(*)::int from status_page_components) as components,
          (select count(*)::int from status_page_environments) as environments,
          (select count(*)::int from audit_log) as audit`;
      return row!;
    },
  };
}

export { refusal } from '../incidents/helpers';
