import { describe, expect, it } from 'vitest';
import { failure, useTestApi, useUser } from './helpers';

const api = useTestApi();
const admin = useUser(api, 'admin');

/** One tRPC mutation over plain HTTP with a bearer key, as an attacker holding the key would send it. */
async function post(key: string, path: string, input: unknown) {
  const res = await fetch(`${api.baseUrl}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  return { status: res.status, text: await res.text() };
}

const userWrites = () =>
  api.sql`select count(*)::int as n from audit_log where action in ('user.create', 'user.password_reset')`.then(
    ([r]) => r!.n as number,
  );

describe('API keys never do admin work (requirement 24)', () => {
  it('an admin-role key cannot create an admin or reset the real admin’s password: 403, nothing written', async () => {
    // A key row that says admin, as keys minted before this rule do, owned by a real admin.
    const { key } = await api.withKey('admin', admin.userId);
    const [before] = await api.sql`select password_hash from users where id = ${admin.userId}`;
    const writes = await userWrites();

    const created = await post(key, 'users.create', {
      email: 'intruder@test.local',
      role: 'admin',
      password: 'Chosen-Password-123',
    });
    expect(created.status).toBe(403);
    expect(created.text).not.toContain('Chosen-Password-123');
    const reset = await post(key, 'users.resetPassword', { id: admin.userId });
    expect(reset.status).toBe(403);
    expect(reset.text).not.toMatch(/temporaryPassword/);

    expect(await api.sql`select id from users where email = 'intruder@test.local'`).toHaveLength(0);
    const [after] =
      await api.sql`select password_hash, must_change_password from users where id = ${admin.userId}`;
    expect(after).toEqual({ password_hash: before!.password_hash, must_change_password: false });
    expect(await userWrites()).toBe(writes);
  });

  it('a key whose row says admin acts as a maintainer', async () => {
    const { client } = await api.withKey('admin', admin.userId);
    expect(await client.me.get.query()).toMatchObject({ type: 'api_key', role: 'maintainer' });
    expect(await client.services.create.mutate({ name: 'Made by a capped key' })).toMatchObject({
      isPublic: false,
    });
    expect((await failure(client.services.create.mutate({ name: 'Published', isPublic: true }))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('apiKeys.create refuses role admin, even to an admin, with a coded error and no key written', async () => {
    const err = await failure(admin.client.apiKeys.create.mutate({ name: 'root', role: 'admin' as never }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED' });
    expect(await api.sql`select id from api_keys where name = 'root'`).toHaveLength(0);
  });

  it('users.create returns a password only when the server generated it', async () => {
    const chosen = await admin.client.users.create.mutate({
      email: 'chosen@test.local',
      role: 'viewer',
      password: 'Chosen-Password-123',
    });
    expect(chosen).not.toHaveProperty('temporaryPassword');
    expect(JSON.stringify(chosen)).not.toContain('Chosen-Password-123');
    const generated = await admin.client.users.create.mutate({
      email: 'generated@test.local',
      role: 'viewer',
    });
    expect(generated.temporaryPassword).toMatch(/^.{12,}$/);
  });
});
