import { eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { addDays, dayOf } from '../../src/services/progress/core';
import { createFixtures, type Fixtures } from '../../src/testing';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

let f: Fixture;
let fx: Fixtures;
beforeAll(async () => {
  f = await createFixture();
  fx = await createFixtures(f.database);
  // The update's author has a name of their own; the owner (the maintainer) has none, only an email.
  await f.database.db
    .update(schema.users)
    .set({ name: 'Ada Admin' })
    .where(eq(schema.users.id, f.users.admin.id));
});
afterAll(async () => {
  await f?.close();
});

const today = dayOf(Date.now());
const anonymous = () => appRouter.createCaller(f.ctx(null));
const maintainer = () => appRouter.createCaller(f.ctx(f.user('maintainer')));

/** A project owned by the (unnamed) maintainer: 3 of 4 items done, an owner update, a service with an open incident. */
async function seed(name: string) {
  const p = await maintainer().projects.create({
    name,
    startDate: addDays(today, -21),
    targetDate: addDays(today, 21),
    ownerUserId: f.users.maintainer.id,
  });
  const [m] = await f.database.db
    .insert(schema.milestones)
    .values({ projectId: p.id, name: 'Beta', dueDate: addDays(today, 7), position: 0 })
    .returning();
  await f.database.db.insert(schema.workItems).values([
    ...[1, 1, 1].map((estimate, i) => ({
      projectId: p.id,
      milestoneId: m!.id,
      title: `small ${i}`,
      estimate,
      status: 'done' as const,
      closedAt: new Date(),
    })),
    { projectId: p.id, milestoneId: m!.id, title: 'large', estimate: 7, status: 'todo' as const },
  ]);
  const incident = await fx.incident();
  await f.database.db
    .insert(schema.projectServices)
    .values({ projectId: p.id, serviceId: incident.serviceId });
  await f.database.db.insert(schema.projectUpdates).values({
    projectId: p.id,
    note: 'Beta on its way.',
    health: 'on_track',
    authorUserId: f.users.admin.id,
  });
  const { token, link } = await maintainer().projects.shareLinks.create({
    projectId: p.id,
    expiresInHours: 24,
  });
  return { project: p, token, linkId: link.id, serviceId: incident.serviceId, incidentId: incident.id };
}

async function refused(token: string) {
  const err = await anonymous()
    .progress.shared({ token })
    .then(
      () => null,
      (e: unknown) => e,
    );
  return refusalOf(err);
}

describe('progress.shared: the share link read (issue 17 point 3, requirement 16)', () => {
  it('anyone with a live token reads the dashboard figures, without user emails or ids', async () => {
    const s = await seed('Shared read');
    const full = await maintainer().progress.project({ projectId: s.project.id });
    const r = await anonymous().progress.shared({ token: s.token });
    expect(r.percent).toEqual({ byCount: 75, byEstimate: 30 });
    expect(r.percent).toEqual(full.percent);
    expect(r.burnUp).toEqual(full.burnUp);
    expect(r.milestones.map((m) => [m.name, m.byCount, m.byEstimate, m.risk?.id])).toEqual(
      full.milestones.map((m) => [m.name, m.byCount, m.byEstimate, m.risk?.id]),
    );
    expect(r.milestones[0]).toMatchObject({ name: 'Beta', byCount: 75, byEstimate: 30, open: true });
    expect(r.nextMilestone?.name).toBe('Beta');
    expect(r.health).toEqual(full.health);
    expect(r.project).toEqual({
      name: 'Shared read',
      startDate: addDays(today, -21),
      targetDate: addDays(today, 21),
      owner: null,
      settings: { defaultEstimate: 1, riskGapPercent: 20, stallDays: 14 },
    });
    expect(r.latestUpdate).toMatchObject({
      note: 'Beta on its way.',
      health: 'on_track',
      author: 'Ada Admin',
    });
    expect(r.services).toHaveLength(1);
    expect(r.services[0]).toMatchObject({ openIncidents: 1 });
    expect(r.services[0]).not.toHaveProperty('serviceId');
    expect(r.services[0]).not.toHaveProperty('slug');
    // The signed-in read names the unnamed owner by email; the shared one must not carry any.
    expect(JSON.stringify(full)).toContain('maintainer@test.local');
    const text = JSON.stringify(r);
    expect(text).not.toContain('@');
    for (const id of [
      s.project.id,
      s.serviceId,
      s.incidentId,
      s.linkId,
      full.milestones[0]!.id,
      f.users.maintainer.id,
      f.users.admin.id,
    ])
      expect(text).not.toContain(id);
  });

  it('a revoked link stops at once; expired, unknown and malformed tokens answer the same one code', async () => {
    const s = await seed('Shared revoke');
    await anonymous().progress.shared({ token: s.token });
    await maintainer().projects.shareLinks.revoke({ id: s.linkId });
    const revoked = await refused(s.token);
    expect(revoked.code).toBe('SHARE_LINK_INVALID');

    const e = await seed('Shared expiry');
    // Expiry is a stored instant; moving it into the past stands in for the wait.
    await f.database.sql`update project_share_links set expires_at = now() - interval '1 second'
      where id = ${e.linkId}`;
    const answers = [
      revoked,
      await refused(e.token),
      await refused('A'.repeat(43)),
      await refused(''),
      await refused('x'.repeat(10_000)),
      await refused(`${e.token.slice(0, 40)}%2F'`),
    ];
    expect(new Set(answers.map((a) => `${a.code} ${a.message}`))).toEqual(
      new Set(['SHARE_LINK_INVALID This link is not valid.']),
    );
    // Not a string, or more than a URL can carry: malformed input, refused before any lookup.
    for (const token of [null, 42, 'x'.repeat(16_385)]) {
      const err = await anonymous()
        .progress.shared({ token } as never)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(refusalOf(err).code).toBe('VALIDATION_FAILED');
    }
  });

  it('signed-in callers get the same outsider answer', async () => {
    const s = await seed('Shared signed in');
    const viewer = appRouter.createCaller(f.ctx(f.user('viewer')));
    expect(await viewer.progress.shared({ token: s.token })).toEqual(
      await anonymous().progress.shared({ token: s.token }),
    );
  });
});
