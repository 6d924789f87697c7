import { createClient } from '@sextant/trpc/client';
import { describe, expect, it } from 'vitest';
import { failure, useTestApi, useUser } from './helpers';

const api = useTestApi();
const maintainer = useUser(api, 'maintainer');
const admin = useUser(api, 'admin');

const auditRows = async () =>
  (await api.sql<{ n: number }[]>`select count(*)::int as n from audit_log`)[0]!.n;

describe('only admins publish services on the public status page', () => {
  it('a maintainer creating a public service is refused and nothing is stored', async () => {
    const before = await auditRows();
    const answer = await failure(
      maintainer.client.services.create.mutate({ name: 'Sneaky public', isPublic: true }),
    );
    expect(answer).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN', httpStatus: 403 });
    expect(await api.sql`select 1 from services where name = 'Sneaky public'`).toHaveLength(0);
    expect(await auditRows()).toBe(before);
    // The same service without the flag is fine; so is saying "not public" explicitly.
    await maintainer.client.services.create.mutate({ name: 'Quiet one', isPublic: false });
    const { key } = await api.withKey('maintainer');
    const keyClient = createClient({ url: `${api.baseUrl}/trpc`, apiKey: key });
    expect(
      await failure(keyClient.services.create.mutate({ name: 'Key public', isPublic: true })),
    ).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'FORBIDDEN',
    });
  });

  it('a maintainer cannot publish or unpublish with update; other fields and the unchanged flag pass', async () => {
    const service = await admin.client.services.create.mutate({
      name: 'Status candidate',
      description: 'v1',
    });
    const before = await auditRows();
    const publish = maintainer.client.services.update.mutate({
      id: service.id,
      patch: { isPublic: true, description: 'v2' },
    });
    expect(await failure(publish)).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    const [row] = await api.sql`select is_public, description from services where id = ${service.id}`;
    expect(row).toEqual({ is_public: false, description: 'v1' });
    expect(await auditRows()).toBe(before);

    await admin.client.services.update.mutate({ id: service.id, patch: { isPublic: true } });
    const unpublish = maintainer.client.services.update.mutate({
      id: service.slug,
      patch: { isPublic: false },
    });
    expect(await failure(unpublish)).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    // A form that sends every field, the flag as it already is, still saves.
    const saved = await maintainer.client.services.update.mutate({
      id: service.id,
      patch: { isPublic: true, description: 'v3' },
    });
    expect(saved).toMatchObject({ isPublic: true, description: 'v3' });
    await admin.client.services.update.mutate({ id: service.id, patch: { isPublic: false } });
    expect((await api.sql`select is_public from services where id = ${service.id}`)[0]).toEqual({
      is_public: false,
    });
  });
});
