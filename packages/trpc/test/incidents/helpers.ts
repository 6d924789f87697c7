import type { Role } from '@sextant/db';
import { asc, eq, schema } from '@sextant/db';
import { appRouter } from '../../src/root';
import { createFixtures, type Fixtures } from '../../src/testing';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

export interface IncidentWorld {
  f: Fixture;
  fx: Fixtures;
  as(role: Role, via?: 'user' | 'key'): ReturnType<typeof appRouter.createCaller>;
  /** Everything stored about one incident: its row, impacts, timeline and audit entries. */
  snapshot(id: string): Promise<{ row: unknown; impacts: unknown[]; updates: unknown[]; audit: unknown[] }>;
  counts(): Promise<{ incidents: number; impacts: number; updates: number; audit: number }>;
}

export async function incidentWorld(): Promise<IncidentWorld> {
  const f = await createFixture();
  const fx = await createFixtures(f.database);
  const db = f.database.primary;
  const { incidents, incidentImpacts, incidentUpdates, auditLog } = schema;
  return {
    f,
    fx,
    as: (role, via = 'user') => appRouter.createCaller(f.ctx(via === 'user' ? f.user(role) : f.apiKey(role))),
    async snapshot(id) {
      const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
      const impacts = await db
        .select()
        .from(incidentImpacts)
        .where(eq(incidentImpacts.incidentId, id))
        .orderBy(asc(incidentImpacts.id));
      const updates = await db
        .select()
        .from(incidentUpdates)
        .where(eq(incidentUpdates.incidentId, id))
        .orderBy(asc(incidentUpdates.id));
      const audit = await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.targetId, id))
        .orderBy(asc(auditLog.id));
      return { row, impacts, updates, audit };
    },
    async counts() {
      const [row] = await f.database.sql<
        { incidents: number; impacts: number; updates: number; audit: number }[]
      >`
        select (select count(*)::int from incidents) as incidents,
          (select count(*)::int from incident_impacts) as impacts,
          (select count(*)::int from incident_updates) as updates,
          (select count(*)::int from audit_log) as audit`;
      return row!;
    },
  };
}

/** The refusal of a call that must fail. */
export async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (err === null) throw new Error('expected the call to be refused');
  return refusalOf(err);
}
