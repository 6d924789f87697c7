import { schema } from '@sextant/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { createCallerFactory } from '../../src/trpc';
import { createFixture, type Fixture } from '../fixtures';
import { m } from './helpers';

/**
 * Spec B19 end to end through `silences.*` on a real Postgres: the procedures read the real clock, so times are
 * set relative to it and no assertion depends on how long a call takes.
 */
let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx?.close());

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR);
const maintainer = () => createCallerFactory(appRouter)(fx.ctx(fx.user('maintainer')));
const viewer = () => createCallerFactory(appRouter)(fx.ctx(fx.user('viewer')));

let n = 0;
const draft = (over: Record<string, unknown> = {}) => ({
  matchers: [m('alertname', '=', `DiskFull${++n}`)],
  endsAt: inHours(1),
  comment: 'disk swap',
  ...over,
});

async function auditRows(targetId: string) {
  const rows = await fx.database.sql<{ action: string; actor_label: string }[]>`
    select action, actor_label from audit_log where target_id = ${targetId} order by id`;
  return rows.map((r) => `${r.action} by ${r.actor_label}`);
}

const silenceCount = async () => (await fx.database.primary.select().from(schema.silences)).length;

/** The TRPCError a call rejects with (fails the test if it resolves). */
async function refused(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}
const reasonOf = (e: TRPCError) => (e.cause as { reason?: string }).reason;

describe('B19 silence edits through silences.*', () => {
  it('B19 editing endsAt of an active silence keeps its id, in place, audited', async () => {
    const api = maintainer();
    const s = await api.silences.create(draft());
    expect(s.state).toBe('active');
    expect(s.createdBy).toBe(fx.users.maintainer.email);
    const edited = await api.silences.update({
      id: s.id,
      silence: { matchers: s.matchers, endsAt: inHours(3), comment: 'longer' },
    });
    expect(edited.replaced).toBe(false);
    expect(edited.silence).toMatchObject({ id: s.id, comment: 'longer', startsAt: s.startsAt });
    expect(edited.silence.endsAt).toEqual(expect.any(Date));
    expect(edited.silence.endsAt.getTime()).toBeGreaterThan(inHours(2).getTime());
    expect(await auditRows(s.id)).toEqual([
      `silence.create by ${fx.users.maintainer.email}`,
      `silence.update by ${fx.users.maintainer.email}`,
    ]);
  });

  it('B19 editing matchers of an active silence expires it and creates a new id, history kept both ways', async () => {
    const api = maintainer();
    const s = await api.silences.create(draft());
    const matchers = [...s.matchers, m('host', '=', 'db1')];
    const edited = await api.silences.update({
      id: s.id,
      silence: { matchers, endsAt: s.endsAt, comment: 'x' },
    });
    expect(edited.replaced).toBe(true);
    expect(edited.silence.id).not.toBe(s.id);
    expect(edited.silence).toMatchObject({ state: 'active', replacesId: s.id, matchers });

    const old = await api.silences.get({ id: s.id });
    expect(old.silence.state).toBe('expired');
    expect(old.replacedBy.map((r) => r.id)).toEqual([edited.silence.id]);
    const next = await viewer().silences.get({ id: edited.silence.id });
    expect(next.replaced.map((r) => r.id)).toEqual([s.id]);
    expect(await auditRows(s.id)).toEqual([
      `silence.create by ${fx.users.maintainer.email}`,
      `silence.expire by ${fx.users.maintainer.email}`,
    ]);
    expect(await auditRows(edited.silence.id)).toEqual([`silence.create by ${fx.users.maintainer.email}`]);
  });

  it('B19 moving startsAt of an active silence expires it and creates a new one; a chain of edits reads in order', async () => {
    const api = maintainer();
    const first = await api.silences.create(draft());
    const second = await api.silences.update({
      id: first.id,
      silence: { matchers: first.matchers, startsAt: inHours(0.5), endsAt: inHours(2), comment: 'later' },
    });
    expect(second.replaced).toBe(true);
    expect(second.silence.state).toBe('pending');
    // Pending and a start still ahead: in place.
    const third = await api.silences.update({
      id: second.silence.id,
      silence: { matchers: first.matchers, startsAt: inHours(1), endsAt: inHours(2), comment: 'later still' },
    });
    expect(third).toMatchObject({ replaced: false, silence: { id: second.silence.id } });
    const fourth = await api.silences.update({
      id: second.silence.id,
      silence: { matchers: [m('alertname', '=', 'Other')], endsAt: inHours(2), comment: 'other' },
    });
    const history = await api.silences.get({ id: second.silence.id });
    expect(history.replaced.map((r) => r.id)).toEqual([first.id]);
    expect(history.replacedBy.map((r) => r.id)).toEqual([fourth.silence.id]);
  });

  it('B19 expiring a pending silence sets both ends to now; expiring twice is a no-op, audited once', async () => {
    const api = maintainer();
    const s = await api.silences.create(draft({ startsAt: inHours(1), endsAt: inHours(2) }));
    expect(s.state).toBe('pending');
    const expired = await api.silences.expire({ id: s.id });
    expect(expired.state).toBe('expired');
    expect(expired.startsAt).toEqual(expired.endsAt);
    expect(expired.endsAt.getTime()).toBeLessThanOrEqual(Date.now());
    const again = await api.silences.expire({ id: s.id });
    expect(again).toEqual({ ...expired, state: 'expired' });
    expect(await auditRows(s.id)).toEqual([
      `silence.create by ${fx.users.maintainer.email}`,
      `silence.expire by ${fx.users.maintainer.email}`,
    ]);
  });

  it('B19 an expired silence cannot be edited: SILENCE_EXPIRED on id, nothing changed', async () => {
    const api = maintainer();
    const s = await api.silences.create(draft());
    await api.silences.expire({ id: s.id });
    const before = await silenceCount();
    const err = await refused(
      api.silences.update({ id: s.id, silence: { matchers: s.matchers, endsAt: inHours(5), comment: 'y' } }),
    );
    expect(err.code).toBe('BAD_REQUEST');
    expect(reasonOf(err)).toBe('SILENCE_EXPIRED');
    expect(await silenceCount()).toBe(before);
    expect(await auditRows(s.id)).toHaveLength(2);
  });

  it('B19 a silence whose only matcher is job=~".*" is refused, naming matchers, and nothing is saved', async () => {
    const api = maintainer();
    const before = await silenceCount();
    const err = await refused(api.silences.create(draft({ matchers: [m('job', '=~', '.*')] })));
    expect(err.code).toBe('BAD_REQUEST');
    expect(reasonOf(err)).toBe('MATCHES_EVERYTHING');
    expect((err.cause as { path?: unknown }).path).toEqual(['matchers']);
    expect(await silenceCount()).toBe(before);

    // The same on an edit: the active silence stays as it was, and no successor appears.
    const s = await api.silences.create(draft());
    const edit = refused(
      api.silences.update({
        id: s.id,
        silence: { matchers: [m('job', '=~', '.*'), m('env', '!=', 'prod')], endsAt: s.endsAt, comment: 'z' },
      }),
    );
    expect(reasonOf(await edit)).toBe('MATCHES_EVERYTHING');
    expect((await api.silences.get({ id: s.id })).silence).toMatchObject({
      state: 'active',
      endsAt: s.endsAt,
    });
    expect(await silenceCount()).toBe(before + 1);
    expect(await auditRows(s.id)).toHaveLength(1);
  });

  it('refuses an invalid regex at its own index with INVALID_REGEX', async () => {
    const err = await refused(
      maintainer().silences.create(draft({ matchers: [m('alertname', '=', 'A'), m('job', '=~', '(')] })),
    );
    expect(reasonOf(err)).toBe('INVALID_REGEX');
    expect((err.cause as { path?: unknown }).path).toEqual(['matchers', 1, 'value']);
  });

  it('records an API key as the author, and its owner as the user behind it', async () => {
    const api = createCallerFactory(appRouter)(fx.ctx(fx.apiKey('maintainer')));
    const s = await api.silences.create(draft());
    expect(s.createdBy).toBe('API key maintainer key');
    expect(s.createdByUserId).toBe(fx.users.maintainer.id);
    expect(await auditRows(s.id)).toEqual(['silence.create by maintainer key']);
  });

  it('lists by state and by matcher text, and a viewer may read but not write', async () => {
    const api = maintainer();
    const tag = `svc${Date.now()}`;
    const active = await api.silences.create(draft({ matchers: [m('service', '=', tag)] }));
    const pending = await api.silences.create(
      draft({ matchers: [m('service', '=', tag)], startsAt: inHours(1), endsAt: inHours(2) }),
    );
    const expired = await api.silences.create(draft({ matchers: [m('service', '=~', `${tag}|x`)] }));
    await api.silences.expire({ id: expired.id });
    const ids = async (state?: 'active' | 'pending' | 'expired') =>
      (await viewer().silences.list({ state, matcher: `service=${tag}` })).map((s) => s.id);
    expect(await ids('active')).toEqual([active.id]);
    expect(await ids('pending')).toEqual([pending.id]);
    expect(await ids('expired')).toEqual([]);
    expect((await viewer().silences.list({ matcher: `=~${tag}` })).map((s) => s.id)).toEqual([expired.id]);
    // LIKE wildcards in the text are literal.
    expect(await viewer().silences.list({ matcher: '%' })).toEqual([]);
    expect((await refused(viewer().silences.expire({ id: active.id }))).code).toBe('FORBIDDEN');
  });
});
