import { generateApiKey } from '@sextant/db';
import { describe, expect, it } from 'vitest';
import { failure, useTestApi, useUser } from './helpers';

const api = useTestApi();
const admin = useUser(api, 'admin');

/** 'OK' when the call succeeds, else the tRPC code it was refused with. */
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: unknown) => failure(Promise.reject(e)).then((d) => d.code),
  );

/** A maintainer key created by a real maintainer through the console, as people do. */
async function keyOf() {
  const owner = await api.asUser('maintainer');
  const { key, apiKey } = await owner.client.apiKeys.create.mutate({ name: 'deploys', role: 'maintainer' });
  return { owner, key, id: apiKey.id, client: api.keyClient(key) };
}

const ingestResponse = (key: string) =>
  fetch(`${api.baseUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ points: [{ name: 'owner_probe', ts: Date.now(), value: 1 }] }),
  });
const ingest = (key: string) => ingestResponse(key).then((r) => r.status);

describe('API keys follow their owner', () => {
  it('a disabled owner’s keys are refused, on tRPC and on /v1/metrics, until re-enabled', async () => {
    const { owner, key, client } = await keyOf();
    expect(await client.me.get.query()).toMatchObject({ role: 'maintainer' });
    await admin.client.users.update.mutate({ id: owner.userId, disabled: true });
    expect(await code(client.me.get.query())).toBe('UNAUTHORIZED');
    expect(await ingest(key)).toBe(401);
    await admin.client.users.update.mutate({ id: owner.userId, disabled: false });
    expect(await code(client.me.get.query())).toBe('OK');
  });

  it('a key never exceeds its owner’s current role', async () => {
    const { owner, key, id, client } = await keyOf();
    expect(await code(client.services.create.mutate({ name: 'Before demotion' }))).toBe('OK');
    await admin.client.users.update.mutate({ id: owner.userId, role: 'viewer' });
    expect(await client.me.get.query()).toMatchObject({ type: 'api_key', role: 'viewer' });
    expect(await code(client.services.create.mutate({ name: 'Demoted owner' }))).toBe('FORBIDDEN');
    const refused = await ingestResponse(key);
    expect(refused.status).toBe(403);
    // The same capped role on both edges, and the refusal names the only role a key can have.
    expect(await refused.text()).toMatch(/needs an API key with the maintainer role\./);
    // The console lists the key with the role it has today, and what it was created with.
    const listed = (await admin.client.apiKeys.list.query()).find((k) => k.id === id);
    expect(listed).toMatchObject({ role: 'maintainer', effectiveRole: 'viewer' });
    // Promoted back (even to admin), the key gets back what it was created with, never more.
    await admin.client.users.update.mutate({ id: owner.userId, role: 'admin' });
    expect(await client.me.get.query()).toMatchObject({ role: 'maintainer' });
  });

  it('deleting the owner revokes their keys, with an audit row per key', async () => {
    const { owner, key, id, client } = await keyOf();
    await admin.client.users.delete.mutate({ id: owner.userId });
    expect(await code(client.me.get.query())).toBe('UNAUTHORIZED');
    expect(await ingest(key)).toBe(401);
    const [row] = await api.sql`select revoked_at, created_by from api_keys where id = ${id}`;
    expect(row).toMatchObject({ revoked_at: expect.any(Date), created_by: null });
    const audit = await api.sql`
      select actor_id, diff from audit_log where action = 'api_key.revoke' and target_id = ${id}`;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(admin.userId);
    expect(JSON.stringify(audit[0]!.diff)).toContain('owner deleted');
    expect(JSON.stringify(audit[0]!.diff)).not.toContain(key);
  });

  it('a key without an owner is refused', async () => {
    const { key, prefix, keyHash } = generateApiKey();
    await api.sql`insert into api_keys (name, prefix, key_hash, role) values ('ownerless', ${prefix}, ${keyHash}, 'admin')`;
    expect(await code(api.keyClient(key).me.get.query())).toBe('UNAUTHORIZED');
    expect(await ingest(key)).toBe(401);
  });

  it('a key whose row says admin, owned by an admin, ingests on /v1/metrics as the maintainer it is', async () => {
    const { key, client } = await api.withKey('admin', admin.userId);
    expect(await client.me.get.query()).toMatchObject({ type: 'api_key', role: 'maintainer' });
    expect(await ingest(key)).toBe(202);
  });
});
