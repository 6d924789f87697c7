import { describe, expect, it } from 'vitest';
import { useTestApi } from './helpers';

const api = useTestApi();

describe('status pages through the API server', () => {
  it("serves status.get from the instance's cache, cleared by the database's NOTIFY on a change", async () => {
    const cache = api.runtime.statusPageCache!;
    await cache.ready;
    const { client } = await api.asUser('admin');
    const before = await api.client.status.get.query();
    expect(cache.size).toBe(1);
    // Served from the cache: built at the same moment.
    expect((await api.client.status.get.query()).generatedAt).toEqual(before.generatedAt);
    const cleared = new Promise<void>((resolve) => {
      const off = cache.onClear((table) => {
        if (table !== 'services') return;
        off();
        resolve();
      });
    });
    await client.services.create.mutate({ name: 'Newly public', isPublic: true });
    await cleared;
    const after = await api.client.status.get.query();
    expect(after.services.map((s) => s.name)).toContain('Newly public');
    expect(before.services.map((s) => s.name)).not.toContain('Newly public');
  });

  it('shows a public page to anyone and a private one only to a signed-in caller', async () => {
    const { client } = await api.asUser('admin');
    const [env] = await api.sql<{ id: string }[]>`select id from environments where name = 'PRO'`;
    const svc = await client.services.create.mutate({ name: 'Page shop', isPublic: true });
    for (const visibility of ['public', 'private'] as const)
      await client.statusPages.create.mutate({
        slug: `shop-${visibility}`,
        title: `Shop ${visibility}`,
        visibility,
        environmentIds: [env!.id],
        components: [{ serviceId: svc.id }],
      });
    expect((await api.client.statusPages.view.query({ slug: 'shop-public' })).title).toBe('Shop public');
    await expect(api.client.statusPages.view.query({ slug: 'shop-private' })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED', appCode: 'STATUS_PAGE_SIGN_IN' },
    });
    expect((await client.statusPages.view.query({ slug: 'shop-private' })).title).toBe('Shop private');
  });
});
