import { createDatabase, createSession } from '@sextant/db';
import { describe, expect, it } from 'vitest';
import { failure, TEST_ORIGIN, useTestApi } from './helpers';

const api = useTestApi();

describe('API keys', () => {
  it('authenticate through the typed client until revoked or expired', async () => {
    const { client, id } = await api.withKey('maintainer');
    expect(await client.me.get.query()).toMatchObject({ type: 'api_key', role: 'maintainer' });
    await api.sql`update api_keys set revoked_at = now() where id = ${id}`;
    expect(await failure(client.me.get.query())).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });

    const expiring = await api.withKey('viewer');
    await api.sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expiring.id}`;
    expect((await failure(expiring.client.me.get.query())).code).toBe('UNAUTHORIZED');
  });

  it('are stored only as a hash with a short prefix', async () => {
    const { key, id } = await api.withKey('viewer');
    const [row] = await api.sql`select prefix, key_hash from api_keys where id = ${id}`;
    expect(key.startsWith(row!.prefix)).toBe(true);
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
  });

  it('are refused in a query string', async () => {
    const { key } = await api.withKey('viewer');
    const res = await fetch(`${api.baseUrl}/trpc/me.get?api_key=${key}`);
    expect(res.status).toBe(400);
    // In tRPC's shape, so typed clients see it as a TRPCClientError with an appCode.
    const body = (await res.json()) as { error: { json: { message: string; data: { appCode: string } } } };
    expect(body.error.json.message).toMatch(/only in the Authorization header/);
    expect(body.error.json.data.appCode).toBe('VALIDATION_FAILED');
  });

  it('cannot be minted as admin, nor by another key', async () => {
    const maintainer = await api.asUser('maintainer');
    expect(
      await failure(maintainer.client.apiKeys.create.mutate({ name: 'x', role: 'admin' as never })),
    ).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED' });
    const created = await maintainer.client.apiKeys.create.mutate({ name: 'deploys', role: 'viewer' });
    expect(created.key).toMatch(/^sxt_[A-Za-z0-9_-]{43}$/);
    const { client } = await api.withKey('admin');
    expect((await failure(client.apiKeys.create.mutate({ name: 'y', role: 'viewer' }))).code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('browser sessions', () => {
  it('see role changes at once and end when the user is disabled', async () => {
    const admin = await api.asUser('admin');
    const someone = await api.asUser('viewer');
    expect((await failure(someone.client.apiKeys.list.query())).code).toBe('FORBIDDEN');
    await admin.client.users.update.mutate({ id: someone.userId, role: 'maintainer' });
    expect(await someone.client.apiKeys.list.query()).toEqual([]);
    await admin.client.users.update.mutate({ id: someone.userId, disabled: true });
    expect(await failure(someone.client.me.get.query())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('end when an admin ends them, and at the idle or absolute limit', async () => {
    const admin = await api.asUser('admin');
    const a = await api.asUser('viewer');
    const [session] = await admin.client.users.sessions.query({ id: a.userId });
    await admin.client.users.endSession.mutate({ sessionId: session!.id });
    expect((await failure(a.client.me.get.query())).code).toBe('UNAUTHORIZED');

    const idle = await api.asUser('viewer');
    await api.sql`update auth_sessions set idle_expires_at = now() - interval '1 second' where user_id = ${idle.userId}`;
    expect((await failure(idle.client.me.get.query())).code).toBe('UNAUTHORIZED');

    const old = await api.asUser('viewer');
    await api.sql`update auth_sessions set absolute_expires_at = now() - interval '1 second' where user_id = ${old.userId}`;
    expect((await failure(old.client.me.get.query())).code).toBe('UNAUTHORIZED');
  });

  it('survive malformed cookies next to them; alone, such a cookie is just no session (never a 500)', async () => {
    const viewer = await api.asUser('viewer');
    const anonymous = await fetch(`${api.baseUrl}/trpc/system.info`, { headers: { cookie: 'a=%' } });
    expect(anonymous.status).toBe(200);
    const signedIn = await fetch(`${api.baseUrl}/trpc/me.get`, {
      headers: { cookie: `a=%; ${viewer.cookie}; b=%E0%A4%A; c` },
    });
    expect(signedIn.status).toBe(200);
    const me = (await signedIn.json()) as { result: { data: { json: { email: string } } } };
    expect(me.result.data.json.email).toBe(viewer.email);
    const broken = await fetch(`${api.baseUrl}/trpc/me.get`, {
      headers: { cookie: 'authjs.session-token=%zz' },
    });
    expect(broken.status).toBe(401);
    const body = (await broken.json()) as { error: { json: { data: { appCode: string } } } };
    expect(body.error.json.data.appCode).toBe('UNAUTHORIZED');
  });

  it('refuse cookie-authenticated writes from a foreign origin or with a non-JSON body, changing nothing', async () => {
    const admin = await api.asUser('admin');
    const body = JSON.stringify({ json: { email: 'csrf@test.local', role: 'admin' } });
    const attempts: Record<string, string>[] = [
      { cookie: admin.cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      { cookie: admin.cookie, origin: TEST_ORIGIN, 'content-type': 'text/plain' },
      { cookie: admin.cookie, 'content-type': 'application/json' },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${api.baseUrl}/trpc/users.create`, { method: 'POST', headers, body });
      // tRPC itself answers 415 to a text/plain body before any procedure runs; our check answers 403.
      expect([403, 415]).toContain(res.status);
    }
    const [row] = await api.sql`select count(*)::int as n from users where email = 'csrf@test.local'`;
    expect(row!.n).toBe(0);
  });

  it('new users get an argon2id temporary password; such a session may do nothing but change it', async () => {
    const admin = await api.asUser('admin');
    const { user, temporaryPassword } = await admin.client.users.create.mutate({
      email: 'temp@test.local',
      role: 'admin',
    });
    expect(user.mustChangePassword).toBe(true);
    const [row] = await api.sql`select password_hash from users where id = ${user.id}`;
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const other = await api.asUser('admin', 'other-device@test.local');
    await api.sql`update users set must_change_password = true where email = 'other-device@test.local'`;
    const blocked = await failure(other.client.users.list.query());
    expect(blocked).toMatchObject({ code: 'FORBIDDEN', appCode: 'PASSWORD_CHANGE_REQUIRED' });
    expect(
      (
        await failure(
          other.client.me.changePassword.mutate({ currentPassword: 'wrong', newPassword: 'n3w-password!' }),
        )
      ).code,
    ).toBe('BAD_REQUEST');
    expect(temporaryPassword?.length).toBeGreaterThanOrEqual(12);
  });

  it("changing one's password keeps this session and ends the others", async () => {
    const first = await api.asUser('viewer', 'twice@test.local');
    const [u] = await api.sql`select id from users where email = 'twice@test.local'`;
    const db = createDatabase(api.databaseUrl, { max: 1 });
    await createSession(db.primary, { userId: u!.id, provider: 'credentials' });
    await db.close();
    const result = await first.client.me.changePassword.mutate({
      currentPassword: 'correct horse battery',
      newPassword: 'a brand new passphrase',
    });
    expect(result.otherSessionsEnded).toBe(1);
    expect(await first.client.me.get.query()).toMatchObject({ email: 'twice@test.local' });
  });
});

describe('user administration guards', () => {
  it('the last active admin cannot be demoted, disabled or deleted', async () => {
    const only = await api.asUser('admin', 'only-admin@test.local');
    // Make this the only enabled admin in this database.
    await api.sql`update users set disabled_at = now() where role = 'admin' and id <> ${only.userId}`;
    for (const attempt of [
      only.client.users.update.mutate({ id: only.userId, role: 'viewer' }),
      only.client.users.update.mutate({ id: only.userId, disabled: true }),
      only.client.users.delete.mutate({ id: only.userId }),
    ]) {
      expect(await failure(attempt)).toMatchObject({ code: 'PRECONDITION_FAILED', appCode: 'LAST_ADMIN' });
    }
    const [row] = await api.sql`select role, disabled_at from users where id = ${only.userId}`;
    expect(row).toMatchObject({ role: 'admin', disabled_at: null });
    await api.sql`update users set disabled_at = null where role = 'admin'`;
  });
});

describe('audit log', () => {
  it('records every change with actor, request id, IP and a redacted diff, in the same transaction', async () => {
    const admin = await api.asUser('admin');
    const { user } = await admin.client.users.create.mutate({
      email: 'audited@test.local',
      role: 'viewer',
      password: 'secret-password-9',
    });
    await admin.client.users.update.mutate({ id: user.id, role: 'maintainer' });
    const { items } = await admin.client.audit.list.query({ targetId: user.id, limit: 10 });
    expect(items.map((i) => i.action)).toEqual(['user.role_change', 'user.create']);
    expect(items[0]).toMatchObject({
      actorType: 'user',
      actorId: admin.userId,
      actorLabel: admin.email,
      ip: '127.0.0.1',
    });
    expect(items[0]!.requestId).toBeTruthy();
    expect(items[0]!.diff).toEqual({ before: { role: 'viewer' }, after: { role: 'maintainer' } });
    expect(JSON.stringify(items)).not.toContain('secret-password-9');
  });

  it('pages with a cursor and filters by action', async () => {
    const admin = await api.asUser('admin');
    for (let i = 0; i < 5; i++)
      await admin.client.users.create.mutate({ email: `page${i}@test.local`, role: 'viewer' });
    const first = await admin.client.audit.list.query({ action: 'user.create', limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await admin.client.audit.list.query({
      action: 'user.create',
      limit: 3,
      cursor: first.nextCursor!,
    });
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on audit_log', async () => {
    await expect(api.sql`update audit_log set action = 'tampered'`).rejects.toThrow(/append-only/);
    await expect(api.sql`delete from audit_log`).rejects.toThrow(/append-only/);
    await expect(api.sql`truncate audit_log`).rejects.toThrow(/append-only/);
  });
});
