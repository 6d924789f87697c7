import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveShareLink } from '../../src/services/projects/share-links';
import { createFixture, type Fixture } from '../fixtures';
import { auditActions, callerAs, day, refused, unique } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const api = () => callerAs(f, 'maintainer');
const project = () => api().projects.create({ name: unique('Shared'), startDate: day(-5) });
const db = () => f.database.primary;

async function invalid(token: string) {
  const err = await resolveShareLink(db(), token).then(
    () => null,
    (e: unknown) => e as { appCode?: string; message?: string },
  );
  expect(err?.appCode).toBe('SHARE_LINK_INVALID');
  return err!.message;
}

describe('share links (issue 17 point 3)', () => {
  it('create returns the token once; only its SHA-256 is stored; resolve opens the project', async () => {
    const p = await project();
    const { token, link } = await api().projects.shareLinks.create({
      projectId: p.id,
      label: 'Board',
      expiresInHours: 48,
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({ projectId: p.id, label: 'Board', state: 'active', revokedAt: null });
    expect(link).not.toHaveProperty('tokenHash');
    const hours = (link.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47);
    expect(hours).toBeLessThanOrEqual(48);

    const [stored] = await f.database.sql<{ token_hash: string }[]>`
      select token_hash from project_share_links where id = ${link.id}`;
    expect(stored!.token_hash).not.toContain(token);
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    expect(await resolveShareLink(db(), token)).toEqual({ projectId: p.id, linkId: link.id });
    const listed = await api().projects.shareLinks.list({ projectId: p.id });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: link.id,
      state: 'active',
      createdByName: 'maintainer@test.local',
    });
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('the token is never in the audit log', async () => {
    const p = await project();
    const { token, link } = await api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 1 });
    await api().projects.shareLinks.revoke({ id: link.id });
    expect(await auditActions(f, link.id)).toEqual([
      'project_share_link.create',
      'project_share_link.revoke',
    ]);
    const [{ n } = { n: -1 }] = await f.database.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where diff::text like ${`%${token}%`}
        or diff::text like '%tokenHash%' or diff::text like '%token_hash%'`;
    expect(n).toBe(0);
  });

  it('revoke takes effect at once; revoking twice is a no-op', async () => {
    const p = await project();
    const { token, link } = await api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 24 });
    await resolveShareLink(db(), token);
    const revoked = await api().projects.shareLinks.revoke({ id: link.id });
    expect(revoked.state).toBe('revoked');
    await invalid(token);
    await api().projects.shareLinks.revoke({ id: link.id });
    expect((await auditActions(f, link.id)).filter((a) => a.endsWith('revoke'))).toHaveLength(1);
  });

  it('unknown, expired and revoked tokens all answer SHARE_LINK_INVALID with one message', async () => {
    const p = await project();
    const a = await api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 24 });
    const b = await api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 24 });
    // Expiry is a stored instant; moving it into the past stands in for the wait.
    await f.database
      .sql`update project_share_links set expires_at = now() - interval '1 second' where id = ${a.link.id}`;
    await api().projects.shareLinks.revoke({ id: b.link.id });
    const messages = new Set([
      await invalid(a.token),
      await invalid(b.token),
      await invalid('A'.repeat(43)),
      await invalid(''),
      await invalid('x'.repeat(10_000)),
    ]);
    expect(messages.size).toBe(1);
    const states = (await api().projects.shareLinks.list({ projectId: p.id })).map((l) => l.state).sort();
    expect(states).toEqual(['expired', 'revoked']);
  });

  it('lastUsedAt is stamped on first use, then at most once a minute', async () => {
    const p = await project();
    const { token, link } = await api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 24 });
    const lastUsed = async () => {
      const [row] = await f.database.sql<{ t: Date | null }[]>`
        select last_used_at as t from project_share_links where id = ${link.id}`;
      return row!.t;
    };
    expect(await lastUsed()).toBeNull();
    await resolveShareLink(db(), token);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    // A stamp 30 s old is kept; one 2 min old is renewed.
    await f.database
      .sql`update project_share_links set last_used_at = now() - interval '30 seconds' where id = ${link.id}`;
    const recent = await lastUsed();
    await resolveShareLink(db(), token);
    expect(await lastUsed()).toEqual(recent);
    await f.database
      .sql`update project_share_links set last_used_at = now() - interval '2 minutes' where id = ${link.id}`;
    const old = (await lastUsed())!;
    await resolveShareLink(db(), token);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });

  it('expiry is required and bounded to 1 h .. 90 days; labels are bounded; live links are capped', async () => {
    const p = await project();
    for (const expiresInHours of [0, 90 * 24 + 1, 1.5, undefined]) {
      const r = await refused(api().projects.shareLinks.create({ projectId: p.id, expiresInHours } as never));
      expect(r.code, String(expiresInHours)).toBe('VALIDATION_FAILED');
    }
    const long = await refused(
      api().projects.shareLinks.create({ projectId: p.id, label: 'x'.repeat(121), expiresInHours: 1 }),
    );
    expect(long.code).toBe('VALIDATION_FAILED');
    await api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 90 * 24 });
    await f.database.sql`
      insert into project_share_links (project_id, token_hash, expires_at)
      select ${p.id}, md5(random()::text) || g, now() + interval '1 day' from generate_series(1, 49) g`;
    const full = await refused(api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 1 }));
    expect(full.code).toBe('SHARE_LINK_LIMIT');
    const none = '00000000-0000-4000-8000-000000000055';
    expect(
      (await refused(api().projects.shareLinks.create({ projectId: none, expiresInHours: 1 }))).code,
    ).toBe('NOT_FOUND');
    expect((await refused(api().projects.shareLinks.revoke({ id: none }))).code).toBe('NOT_FOUND');
  });

  it('deleting the project ends its links', async () => {
    const p = await project();
    const { token } = await api().projects.shareLinks.create({ projectId: p.id, expiresInHours: 24 });
    await callerAs(f, 'admin').projects.delete({ id: p.id });
    await invalid(token);
  });
});
