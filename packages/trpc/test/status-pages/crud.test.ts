import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_PAGE_LIMITS } from '../../src/limits';
import { type PageWorld, pageWorld, refusal } from './helpers';

let w: PageWorld;
let pro: string;
let dev: string;
let publicService: { id: string; slug: string };
let privateService: { id: string; slug: string };
beforeAll(async () => {
  w = await pageWorld();
  [pro, dev] = await Promise.all([w.env('PRO'), w.env('DEV')]);
  publicService = await w.service('Shop', true);
  privateService = await w.service('Billing internals', false);
});
afterAll(async () => {
  await w?.f.close();
});

const admin = () => w.as('admin');
const page = (over: Record<string, unknown> = {}) => ({
  slug: w.fx.unique('acme'),
  title: 'Acme status',
  visibility: 'public' as const,
  logoUrl: 'https://cdn.example.com/logo.svg',
  footer: '**Questions?** Write to support.',
  environmentIds: [pro],
  components: [{ serviceId: publicService.id, group: 'Storefront' }],
  ...over,
});

async function auditOf(id: string) {
  return w.f.database.sql<{ action: string; actor_label: string }[]>`
    select action, actor_label from audit_log where target_type = 'status_page' and target_id = ${id} order by id`;
}

describe('create, update, delete', () => {
  it('creates a page with its environments and components, audited in the same transaction', async () => {
    const created = await admin().statusPages.create(page());
    expect(created).toMatchObject({
      title: 'Acme status',
      visibility: 'public',
      environmentIds: [pro],
      components: [{ serviceId: publicService.id, group: 'Storefront' }],
    });
    expect(await admin().statusPages.get({ id: created.id })).toMatchObject({
      slug: created.slug,
      environmentIds: [pro],
      components: [{ serviceId: publicService.id, group: 'Storefront' }],
    });
    expect(await auditOf(created.id)).toEqual([
      { action: 'status_page.create', actor_label: w.f.users.admin.email },
    ]);
    const list = await w.as('viewer').statusPages.list();
    expect(list.find((p) => p.id === created.id)).toMatchObject({ components: 1, visibility: 'public' });
  });

  it('a patch keeps what it leaves out, replaces the sets it sends, and is audited with before and after', async () => {
    const { id } = await admin().statusPages.create(page());
    const other = await w.service('Search', true);
    const updated = await admin().statusPages.update({
      id,
      page: {
        title: 'Renamed',
        environmentIds: [dev, pro],
        components: [{ serviceId: other.id }, { serviceId: publicService.id, group: 'Storefront' }],
      },
    });
    expect(updated).toMatchObject({
      title: 'Renamed',
      logoUrl: 'https://cdn.example.com/logo.svg',
      components: [
        { serviceId: other.id, group: null },
        { serviceId: publicService.id, group: 'Storefront' },
      ],
    });
    expect((await admin().statusPages.get({ id })).components.map((c) => c.serviceId)).toEqual([
      other.id,
      publicService.id,
    ]);
    const [row] = await w.f.database.sql<{ diff: { before: { title: string }; after: { title: string } } }[]>`
      select diff from audit_log where target_id = ${id} and action = 'status_page.update'`;
    expect(row?.diff).toMatchObject({ before: { title: 'Acme status' }, after: { title: 'Renamed' } });
  });

  it('deletes the page and its rows, audited; a second delete is NOT_FOUND', async () => {
    const { id } = await admin().statusPages.create(page());
    const before = await w.counts();
    await admin().statusPages.delete({ id });
    const after = await w.counts();
    expect(after).toMatchObject({ pages: before.pages - 1, components: before.components - 1 });
    expect(after.audit).toBe(before.audit + 1);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['status_page.create', 'status_page.delete']);
    expect(await refusal(admin().statusPages.delete({ id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(admin().statusPages.get({ id }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('refusals write nothing', () => {
  it('a public page refuses a non-public service with STATUS_PAGE_PRIVATE_SERVICE on its path', async () => {
    const before = await w.counts();
    const r = await refusal(
      admin().statusPages.create(
        page({ components: [{ serviceId: publicService.id }, { serviceId: privateService.id }] }),
      ),
    );
    expect(r).toMatchObject({ code: 'STATUS_PAGE_PRIVATE_SERVICE', path: 'components.1.serviceId' });
    expect(await w.counts()).toEqual(before);
  });

  it('a private page may show it, but may not then be made public', async () => {
    const { id } = await admin().statusPages.create(
      page({ visibility: 'private', components: [{ serviceId: privateService.id }] }),
    );
    const before = await w.counts();
    const r = await refusal(admin().statusPages.update({ id, page: { visibility: 'public' } }));
    expect(r).toMatchObject({ code: 'STATUS_PAGE_PRIVATE_SERVICE', path: 'components.0.serviceId' });
    expect(await w.counts()).toEqual(before);
    expect((await admin().statusPages.get({ id })).visibility).toBe('private');
  });

  it('a duplicate slug is a CONFLICT on slug', async () => {
    const { slug } = await admin().statusPages.create(page());
    const before = await w.counts();
    expect(await refusal(admin().statusPages.create(page({ slug })))).toMatchObject({
      code: 'CONFLICT',
      path: 'slug',
    });
    const other = await admin().statusPages.create(page());
    expect(await refusal(admin().statusPages.update({ id: other.id, page: { slug } }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect((await w.counts()).pages).toBe(before.pages + 1);
  });

  it.each([
    ['Upper-Case'],
    ['under_score'],
    ['-leading'],
    ['double--dash'],
    ['with space'],
    ['x'.repeat(STATUS_PAGE_LIMITS.slugLength + 1)],
  ])('refuses the slug %j', async (slug) => {
    const before = await w.counts();
    expect(await refusal(admin().statusPages.create(page({ slug })))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'slug',
    });
    expect(await w.counts()).toEqual(before);
  });

  it('refuses a logo that is not an http(s) URL, and over-long texts', async () => {
    for (const [field, value] of [
      ['logoUrl', 'javascript:alert(1)'],
      ['logoUrl', 'data:image/png;base64,AAAA'],
      ['logoUrl', `https://example.com/${'l'.repeat(STATUS_PAGE_LIMITS.logoUrlLength)}`],
      ['footer', 'f'.repeat(STATUS_PAGE_LIMITS.footerLength + 1)],
      ['title', 't'.repeat(STATUS_PAGE_LIMITS.titleLength + 1)],
    ] as const) {
      expect(await refusal(admin().statusPages.create(page({ [field]: value })))).toMatchObject({
        code: 'VALIDATION_FAILED',
        path: field,
      });
    }
  });

  it('refuses more components than the limit, a service twice, and unknown services or environments', async () => {
    const many = Array.from({ length: STATUS_PAGE_LIMITS.components + 1 }, () => ({
      serviceId: crypto.randomUUID(),
    }));
    expect(await refusal(admin().statusPages.create(page({ components: many })))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'components',
    });
    const twice = [{ serviceId: publicService.id }, { serviceId: publicService.id }];
    expect(await refusal(admin().statusPages.create(page({ components: twice })))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const before = await w.counts();
    expect(
      await refusal(admin().statusPages.create(page({ components: [{ serviceId: crypto.randomUUID() }] }))),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'components.0.serviceId' });
    expect(
      await refusal(admin().statusPages.create(page({ environmentIds: [pro, crypto.randomUUID()] }))),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'environmentIds.1' });
    expect(await w.counts()).toEqual(before);
  });

  it(`refuses a page beyond ${STATUS_PAGE_LIMITS.pages} with STATUS_PAGE_LIMIT`, async () => {
    const { pages } = await w.counts();
    // Created concurrently, three more than fit: exactly the limit is stored.
    const results = await Promise.allSettled(
      Array.from({ length: STATUS_PAGE_LIMITS.pages - pages + 3 }, () => admin().statusPages.create(page())),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(3);
    for (const r of refused)
      expect(await refusal(Promise.reject(r.reason))).toMatchObject({ code: 'STATUS_PAGE_LIMIT' });
    const before = await w.counts();
    expect(before.pages).toBe(STATUS_PAGE_LIMITS.pages);
    expect(await refusal(admin().statusPages.create(page()))).toMatchObject({ code: 'STATUS_PAGE_LIMIT' });
    expect(await w.counts()).toEqual(before);
  });

  it('only an admin session writes pages; viewers and keys read the list', async () => {
    expect(await refusal(w.as('maintainer').statusPages.create(page()))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(w.as('admin', 'key').statusPages.create(page()))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await w.as('viewer', 'key').statusPages.list()).toBeInstanceOf(Array);
  });
});
