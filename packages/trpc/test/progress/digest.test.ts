import { randomBytes } from 'node:crypto';
import { createDatabase, type Database, eq, schema } from '@sextant/db';
import { withDatabase } from '@sextant/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../src/root';
import { render } from '../../src/services/notify/integrations';
import type { ProjectDigest } from '../../src/services/notify/project-digest';
import { integrationTargetsById } from '../../src/services/notify/receivers';
import { useSecretKey } from '../../src/services/notify/secret-box';
import { digestRecipients, isoWeekStart, sendWeeklyDigests } from '../../src/services/progress/digest';
import { projectProgress } from '../../src/services/progress/reads';
import { createFixtures, type Fixtures } from '../../src/testing';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

let f: Fixture;
let fx: Fixtures;
let mailIntegrationId: string;
let others: Database[] = [];
beforeAll(async () => {
  useSecretKey(randomBytes(32));
  f = await createFixture();
  fx = await createFixtures(f.database);
  mailIntegrationId = (await fx.mailStatusPage()).integrationId;
  const url = withDatabase(inject('adminUrl'), f.database.sql.options.database);
  others = [createDatabase(url, { max: 2 }), createDatabase(url, { max: 2 })];
});
afterAll(async () => {
  await Promise.all(others.map((d) => d.close()));
  await f?.close();
});

const PUBLIC_URL = 'https://sextant.example.test/';
const at = (iso: string) => new Date(iso);
const maintainer = () => appRouter.createCaller(f.ctx(f.user('maintainer')));

/** A project started 2026-10-01, due 2026-12-31, with the digest integration set through projects.update. */
async function project(name: string, integrationId: string | null = mailIntegrationId) {
  const [p] = await f.database.db
    .insert(schema.projects)
    .values({ name: fx.unique(name), startDate: '2026-10-01', targetDate: '2026-12-31' })
    .returning();
  if (integrationId)
    await maintainer().projects.update({ id: p!.id, project: { digestIntegrationId: integrationId } });
  return p!;
}

async function member(projectId: string, userId: string, digest: boolean) {
  await f.database.db.insert(schema.projectMembers).values({ projectId, userId, digest });
}

/** The outbox rows of a project's digests, by recipient. */
async function outboxOf(projectId: string) {
  const rows = await f.database.sql<{ payload: ProjectDigest; integration_id: string; state: string }[]>`
    select payload, integration_id, state from notification_outbox where route_id = ${`project-digest:${projectId}`}
    `;
  // Sorted here: the database's collation orders punctuation differently from JavaScript.
  return [...rows].sort((a, b) => (a.payload.to < b.payload.to ? -1 : 1));
}

describe('weekly project digest (issue 17 point 4)', () => {
  it('projects.update accepts only an email integration as the digest integration (coded error otherwise)', async () => {
    const p = await project('digest settings', null);
    const webhook = await fx.receiver();
    const err = await maintainer()
      .projects.update({ id: p.id, project: { digestIntegrationId: webhook.integrationId } })
      .catch((e) => e);
    expect(refusalOf(err)).toMatchObject({ code: 'PROJECT_DIGEST_NOT_EMAIL', path: 'digestIntegrationId' });
    const gone = await maintainer()
      .projects.update({ id: p.id, project: { digestIntegrationId: '00000000-0000-4000-8000-00000000abcd' } })
      .catch((e) => e);
    expect(refusalOf(gone)).toMatchObject({ code: 'NOT_FOUND', path: 'digestIntegrationId' });
    const ok = await maintainer().projects.update({
      id: p.id,
      project: { digestIntegrationId: mailIntegrationId },
    });
    expect(ok.digestIntegrationId).toBe(mailIntegrationId);
    const cleared = await maintainer().projects.update({ id: p.id, project: { digestIntegrationId: null } });
    expect(cleared.digestIntegrationId).toBeNull();
  });

  it('weeks start on Monday UTC and nothing is sent before Monday 08:00 UTC', async () => {
    expect(isoWeekStart(at('2026-11-23T00:00:00Z').getTime())).toBe('2026-11-23');
    expect(isoWeekStart(at('2026-11-29T23:59:59Z').getTime())).toBe('2026-11-23');
    expect(isoWeekStart(at('2026-11-22T12:00:00Z').getTime())).toBe('2026-11-16');
    const p = await project('digest early');
    await member(p.id, f.users.admin.id, true);
    const early = await sendWeeklyDigests(f.database.db, f.database.sql, {
      nowMs: at('2026-11-02T07:59:59Z').getTime(),
      publicUrl: PUBLIC_URL,
    });
    expect(early).toEqual({ projects: 0, queued: 0 });
    expect(await outboxOf(p.id)).toEqual([]);
  });

  it('recipients: members with digest on and subscribers, once each, disabled users skipped', async () => {
    const p = await project('digest people');
    const [both, subOnly, off, disabledMember, disabledSub] = await Promise.all([
      fx.user('viewer'),
      fx.user('viewer'),
      fx.user('maintainer'),
      fx.user('viewer'),
      fx.user('viewer'),
    ]);
    await member(p.id, both.id, true);
    await member(p.id, f.users.maintainer.id, true);
    await member(p.id, off.id, false);
    await member(p.id, disabledMember.id, true);
    await f.database.db
      .insert(schema.projectSubscribers)
      .values([both, subOnly, disabledSub].map((u) => ({ projectId: p.id, userId: u.id })));
    await f.database.db
      .update(schema.users)
      .set({ disabledAt: new Date() })
      .where(eq(schema.users.id, disabledMember.id));
    await f.database.db
      .update(schema.users)
      .set({ disabledAt: new Date() })
      .where(eq(schema.users.id, disabledSub.id));
    const want = [both.email, subOnly.email, f.users.maintainer.email].sort();
    expect((await digestRecipients(f.database.db, p.id)).map((r) => r.email).sort()).toEqual(want);
    await sendWeeklyDigests(f.database.db, f.database.sql, {
      nowMs: at('2026-11-09T08:00:00Z').getTime(),
      publicUrl: PUBLIC_URL,
    });
    const rows = await outboxOf(p.id);
    expect(rows.map((r) => r.payload.to)).toEqual(want);
    expect(new Set(rows.map((r) => r.payload.idempotencyKey)).size).toBe(3);
    expect(rows.every((r) => r.integration_id === mailIntegrationId && r.state === 'pending')).toBe(true);
    const [digest] = await f.database.db
      .select()
      .from(schema.projectDigests)
      .where(eq(schema.projectDigests.projectId, p.id));
    expect(digest).toMatchObject({ weekStart: '2026-11-09', recipients: 3 });
  });

  it('content: progress change from snapshots a week apart, items done and added, health and its rules, open incidents', async () => {
    const p = await project('digest content');
    await member(p.id, f.users.admin.id, true);
    const snap = (
      day: string,
      scopeCount: number,
      doneCount: number,
      scopePoints: number,
      donePoints: number,
    ) => ({
      projectId: p.id,
      day,
      scopeCount,
      doneCount,
      scopePoints,
      donePoints,
      unestimatedCount: 0,
    });
    // The week covered is 2026-11-16..22: before = end of 11-15, after = end of 11-22; 11-08 and 11-23 are not read.
    await f.database.db
      .insert(schema.projectSnapshots)
      .values([
        snap('2026-11-08', 8, 0, 16, 0),
        snap('2026-11-15', 10, 2, 20, 2),
        snap('2026-11-22', 12, 6, 30, 12),
        snap('2026-11-23', 13, 7, 36, 12),
      ]);
    const item = (
      title: string,
      estimate: number | null,
      status: string,
      created: string,
      closed: string | null,
    ) => ({
      projectId: p.id,
      title,
      estimate,
      status: status as 'todo',
      createdAt: at(created),
      closedAt: closed ? at(closed) : null,
    });
    await f.database.db
      .insert(schema.workItems)
      .values([
        item('Login <form>', 2, 'done', '2026-10-05T00:00:00Z', '2026-11-17T10:00:00Z'),
        item('Search', null, 'done', '2026-10-05T00:00:00Z', '2026-11-18T10:00:00Z'),
        item('Checkout', 5, 'done', '2026-10-05T00:00:00Z', '2026-11-22T23:59:00Z'),
        item('Done the week before', 3, 'done', '2026-10-05T00:00:00Z', '2026-11-15T23:00:00Z'),
        item('Done this Monday', 1, 'done', '2026-10-05T00:00:00Z', '2026-11-23T01:00:00Z'),
        item('Added: export', 3, 'todo', '2026-11-18T09:00:00Z', null),
        item('Added: import', null, 'todo', '2026-11-16T00:00:00Z', null),
        item('Big open one', 20, 'in_progress', '2026-10-05T00:00:00Z', null),
        item('Added then cancelled', 8, 'cancelled', '2026-11-19T00:00:00Z', '2026-11-19T01:00:00Z'),
      ]);
    // Two linked services: one with an open and a resolved incident, one quiet; an unlinked one's incident is not told.
    const [open, resolved, unlinked, quiet] = await Promise.all([
      fx.incident(),
      fx.incident(),
      fx.incident(),
      fx.service(),
    ]);
    await f.database.db
      .update(schema.incidentImpacts)
      .set({ serviceId: open.serviceId })
      .where(eq(schema.incidentImpacts.incidentId, resolved.id));
    await f.database.db
      .update(schema.incidents)
      .set({ resolvedAt: new Date(), status: 'resolved' })
      .where(eq(schema.incidents.id, resolved.id));
    await f.database.db.insert(schema.projectServices).values([
      { projectId: p.id, serviceId: open.serviceId },
      { projectId: p.id, serviceId: quiet.id },
    ]);
    expect(unlinked.serviceId).not.toBe(open.serviceId);

    const nowMs = at('2026-11-23T09:30:00Z').getTime();
    await sendWeeklyDigests(f.database.db, f.database.sql, { nowMs, publicUrl: PUBLIC_URL });
    const [row] = await outboxOf(p.id);
    const d = row!.payload;
    expect(d.week).toEqual({ start: '2026-11-23', from: '2026-11-16', to: '2026-11-22' });
    expect(d.progress.before).toMatchObject({ day: '2026-11-15', byCount: 20, byEstimate: 10 });
    expect(d.progress.after).toMatchObject({ day: '2026-11-22', byCount: 50, byEstimate: 40 });
    expect(d.done).toEqual({ count: 3, points: 8, titles: ['Login <form>', 'Search', 'Checkout'] });
    expect(d.added).toEqual({ count: 2, points: 4, titles: ['Added: import', 'Added: export'] });
    // Live: 36 points, 12 done (33 %) at 58 % elapsed; 4 points a week leaves 24 points for 6 weeks, past the target.
    expect(d.health.health).toBe('at_risk');
    expect(d.health.rules.map((r) => r.id)).toEqual(['predicted_after_target', 'behind_schedule']);
    const dashboard = await projectProgress(f.database.db, f.database.sql, p.id, new Date(nowMs));
    expect(d.health.rules.map((r) => r.text)).toEqual(dashboard.health.rules.map((r) => r.text));
    const [incident] = await f.database.db
      .select()
      .from(schema.incidents)
      .where(eq(schema.incidents.id, open.id));
    expect(d.incidents).toEqual({
      open: 1,
      shown: [
        {
          title: incident!.title,
          severity: incident!.severity,
          status: incident!.status,
          startedAt: incident!.startedAt.toISOString(),
          services: [expect.any(String)],
        },
      ],
    });
    expect(d.link).toBe(`https://sextant.example.test/projects/${p.id}`);

    // Rendered as the delivery worker would: to the recipient only, figures in text, values escaped in HTML.
    const [target] = [...(await integrationTargetsById(f.database.sql, [mailIntegrationId])).values()];
    const rendered = render(target!, d);
    if (rendered.transport !== 'smtp') throw new Error('a digest is a mail');
    const mail = rendered.mail;
    expect(mail.to).toEqual([f.users.admin.email]);
    expect(mail.subject).toBe(`Weekly digest: ${p.name}, 2026-11-16 to 2026-11-22`);
    expect(mail.text).toContain('By count: 20% → 50% (+30 points)');
    expect(mail.text).toContain('By estimate: 10% → 40% (+30 points)');
    expect(mail.text).toContain('Done this week: 3 items (8 points)');
    expect(mail.text).toContain('Scope added this week: 2 items (4 points)');
    expect(mail.text).toContain('Health: At risk');
    expect(mail.text).toContain('(behind_schedule)');
    expect(mail.text).toContain(`Open incidents of its services: 1`);
    expect(mail.text).toContain(`Open the project: https://sextant.example.test/projects/${p.id}`);
    expect(mail.html).toContain('Login &lt;form&gt;');
    expect(mail.html).not.toContain('<form>');
    expect(mail.messageId).toBe(`<${d.idempotencyKey}@sextant>`);
  });

  it('3 instances at once queue a project’s week once: one project_digests row, one outbox row per recipient', async () => {
    const p = await project('digest race');
    await member(p.id, f.users.admin.id, true);
    await member(p.id, f.users.maintainer.id, true);
    const nowMs = at('2026-11-30T08:00:00Z').getTime();
    const run = (db: Database) => sendWeeklyDigests(db.db, db.sql, { nowMs, publicUrl: PUBLIC_URL });
    const results = await Promise.all([run(f.database), run(others[0]!), run(others[1]!)]);
    const mine = await outboxOf(p.id);
    expect(mine.map((r) => r.payload.to)).toEqual([f.users.admin.email, f.users.maintainer.email].sort());
    // Every project due this week was queued by exactly one of the three.
    const total = results.reduce((a, r) => a + r.queued, 0);
    const [{ n }] = (await f.database.sql`
      select count(*)::int as n from notification_outbox o
      where o.route_id like 'project-digest:%' and o.group_key like 'digest:2026-11-30:%'`) as unknown as [
      { n: number },
    ];
    expect(total).toBe(n);
    const weeks = await f.database.db
      .select()
      .from(schema.projectDigests)
      .where(eq(schema.projectDigests.projectId, p.id));
    expect(weeks).toMatchObject([{ weekStart: '2026-11-30', recipients: 2 }]);
    // A later tick the same week finds it done.
    expect(await run(f.database)).toEqual({ projects: 0, queued: 0 });
    expect(await outboxOf(p.id)).toHaveLength(2);
  });

  it('no email integration (or an archived project): no digest, no row', async () => {
    const none = await project('digest none', null);
    const archived = await project('digest archived');
    await f.database.db
      .update(schema.projects)
      .set({ archivedAt: new Date() })
      .where(eq(schema.projects.id, archived.id));
    for (const p of [none, archived]) {
      await member(p.id, f.users.admin.id, true);
      await f.database.db
        .insert(schema.projectSubscribers)
        .values({ projectId: p.id, userId: f.users.viewer.id });
    }
    await sendWeeklyDigests(f.database.db, f.database.sql, {
      nowMs: at('2026-12-07T10:00:00Z').getTime(),
      publicUrl: PUBLIC_URL,
    });
    for (const p of [none, archived]) {
      expect(await outboxOf(p.id)).toEqual([]);
      expect(
        await f.database.db
          .select()
          .from(schema.projectDigests)
          .where(eq(schema.projectDigests.projectId, p.id)),
      ).toEqual([]);
    }
  });
});
