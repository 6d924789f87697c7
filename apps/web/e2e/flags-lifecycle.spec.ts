import { readFileSync } from 'node:fs';
import { type Locator, type Page, request } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN_STATE, API_URL, WEB_URL } from './helpers';

// The flag page's fences and lifecycle: a group id change asks first, a refusal from the server lands at its field,
// and archive, unarchive and delete. Each flag is made through the API with a maintainer's key; the page is driven.
const RUN = Date.now().toString(36);
let key = '';
// Each test loads a few server-rendered pages; on a busy 2-core machine that can pass the default 30 s.
test.describe.configure({ timeout: 60_000 });

// The key comes from the admin's session (admin.setup.ts) over plain HTTP: no page to render for it.
test.beforeAll(async () => {
  const admin = await request.newContext({
    baseURL: WEB_URL,
    storageState: ADMIN_STATE,
    extraHTTPHeaders: { origin: WEB_URL },
  });
  try {
    const res = await admin.post('/api/trpc/apiKeys.create', {
      data: { json: { name: `lifecycle ${RUN}`, role: 'maintainer' } },
    });
    expect(res.status(), await res.text()).toBe(200);
    key = (await res.json()).result.data.json.key;
  } finally {
    await admin.dispose();
  }
});

/** A page with the admin's session (asAdmin without its trip to the Overview). */
async function adminPage(openPage: () => Promise<Page>) {
  const page = await openPage();
  await page.context().addCookies(JSON.parse(readFileSync(ADMIN_STATE, 'utf8')).cookies);
  return page;
}

/** A tRPC call over HTTP with the maintainer's key, as CI would make it. */
async function api(path: string, input: unknown, method: 'GET' | 'POST' = 'POST') {
  const body = JSON.stringify({ json: input });
  const res = await fetch(
    method === 'GET'
      ? `${API_URL}/trpc/${path}?input=${encodeURIComponent(body)}`
      : `${API_URL}/trpc/${path}`,
    {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : body,
    },
  );
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()).result.data.json;
}

/** A boolean flag of this run with UAT set to `uat`; answers its key. */
async function flagWith(name: string, uat: Record<string, unknown>) {
  const flag = `e2e-${name}-${RUN}`;
  await api('flags.create', { key: flag, type: 'boolean' });
  await api('flags.setEnvironment', { key: flag, environment: 'UAT', enabled: true, ...uat });
  return flag;
}

/** The flag's page loaded afresh, on its UAT tab (it opens on the first environment). */
async function openUat(page: Page, flag: string): Promise<Locator> {
  await page.goto(`/flags/${flag}`);
  await page.getByRole('tab', { name: 'UAT' }).click();
  return page.locator('[data-testid="env-editor"][data-env="UAT"]');
}

/** Every setEnvironment the page sends, so a test can see that nothing went out. */
function saves(page: Page) {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('flags.setEnvironment')) sent.push(r.postData() ?? '');
  });
  return sent;
}

test('req. 9: a new group id asks before it saves; Cancel keeps the old one, Reshuffle saves it and the history names it', async ({
  openPage,
}) => {
  const flag = await flagWith('group', {
    strategies: [{ type: 'gradualRollout', percentage: 30, stickiness: 'default', groupId: 'cohort-a' }],
  });
  const page = await adminPage(openPage);
  const sent = saves(page);
  let editor = await openUat(page, flag);
  await expect(editor).toContainText('Version 2.');
  await expect(editor.getByLabel('Group id')).toHaveValue('cohort-a');

  await editor.getByLabel('Group id').fill('cohort-b');
  await editor.getByRole('button', { name: 'Save UAT' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change the rollout group?' });
  await expect(dialog).toContainText('reshuffles every user');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(sent).toEqual([]);
  editor = await openUat(page, flag); // loaded afresh: what is stored
  await expect(editor).toContainText('Version 2.');
  await expect(editor.getByLabel('Group id')).toHaveValue('cohort-a');

  await editor.getByLabel('Group id').fill('cohort-b');
  await editor.getByRole('button', { name: 'Save UAT' }).click();
  const saved = page.waitForResponse((r) => r.url().includes('flags.setEnvironment'));
  await dialog.getByRole('button', { name: 'Reshuffle and save' }).click();
  expect((await saved).status()).toBe(200);
  await expect(dialog).toBeHidden();
  await expect(editor).toContainText('Version 3.');
  expect(sent).toHaveLength(1);
  // One batched call: the confirmed save, from the version the editor started at.
  expect(JSON.parse(sent[0]!)['0'].json).toMatchObject({ confirmGroupIdChange: true, expectedVersion: 2 });
  await expect(page.getByTestId('flag-history')).toContainText(
    'UAT: rollout 30 %, group id cohort-a → cohort-b',
  );
  await expect(editor.getByLabel('Group id')).toHaveValue('cohort-b');
  const stored = await api('flags.get', { key: flag }, 'GET');
  expect(stored.environments.find((e: { environment: string }) => e.environment === 'UAT')).toMatchObject({
    version: 3,
    strategies: [{ percentage: 30, groupId: 'cohort-b' }],
  });
});

test("a refusal only the server makes (text Postgres cannot store) shows at the variant's name, and nothing is saved", async ({
  openPage,
}) => {
  // Every flagConfigSchema rule (weights totalling 1000 included) is checked in the form first with the same
  // schema; what the form still sends and the server refuses is text with a NUL, caught by the input guard.
  const flag = await flagWith('refusal', {
    variants: [
      { name: 'control', weight: 500 },
      { name: 'treatment', weight: 500 },
    ],
  });
  const page = await adminPage(openPage);
  const sent = saves(page);
  let editor = await openUat(page, flag);
  await expect(editor).toContainText('Version 2.');
  // Weights totalling 900 never leave the page: the form's own check of the same rule answers at the variants.
  await editor.getByLabel('Variant 1 weight (%)').fill('40');
  await editor.getByRole('button', { name: 'Save UAT' }).click();
  await expect(editor.getByTestId('variants')).toContainText(
    'variant weights total 900; they must total 1000',
  );
  expect(sent).toEqual([]);
  await editor.getByLabel('Variant 1 weight (%)').fill('50');

  const name = editor.getByLabel('Variant 2 name');
  await name.fill('treat\u0000ment');
  await expect(name).toHaveValue('treat\u0000ment');
  const refused = page.waitForResponse((r) => r.url().includes('flags.setEnvironment'));
  await editor.getByRole('button', { name: 'Save UAT' }).click();
  expect((await refused).status()).toBe(400);
  // At the field: the message sits in the second variant's name cell, under its input.
  const cell = editor
    .getByTestId('variant')
    .nth(1)
    .locator('div', { has: page.getByLabel('Variant 2 name') });
  await expect(cell).toContainText('Text cannot contain the NUL character (U+0000).');
  await expect(editor.getByTestId('variant').first()).not.toContainText('NUL');

  editor = await openUat(page, flag); // loaded afresh: what is stored
  await expect(editor).toContainText('Version 2.');
  await expect(editor.getByLabel('Variant 2 name')).toHaveValue('treatment');
  await expect(editor.getByTestId('variant-total')).toContainText('(1000 of 1000)');
});

test('archive makes the flag read-only and drops it from the list (the archived filter shows it), unarchive brings it back, delete (only once archived) removes it', async ({
  openPage,
}) => {
  const flag = await flagWith('archive', {});
  const page = await adminPage(openPage);
  const editor = await openUat(page, flag);
  await expect(editor.getByRole('button', { name: 'Save UAT' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await confirm(page, 'Archive', 'Archive this flag?');
  await expect(page.getByTestId('flag-lifecycle')).toHaveText('archived');
  await expect(page.getByRole('switch')).toHaveCount(0);
  await expect(page.locator('[data-testid="flag-state"][data-env="UAT"]')).toHaveAttribute(
    'data-enabled',
    'true',
  );
  await expect(editor.getByLabel('Enabled in UAT')).toBeDisabled();
  await expect(editor.getByRole('button', { name: 'Save UAT' })).toHaveCount(0);
  await expect(editor.getByRole('button', { name: 'Add strategy' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);

  // The list, reached in the page (no reload): gone by default, there with the archived filter.
  const row = page.locator(`[data-testid="flag-row"][data-flag="${flag}"]`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flags' }).click();
  await filterList(page, flag, false);
  await expect(page.getByText('No flag matches these filters.')).toBeVisible();
  await expect(row).toHaveCount(0);
  await filterList(page, flag, true);
  await expect(row).toContainText('archived');
  await row.getByRole('link', { name: flag }).click();

  await confirm(page, 'Unarchive', 'Unarchive this flag?');
  await expect(page.getByTestId('flag-lifecycle')).toHaveText('active');
  await expect(page.getByRole('switch', { name: `${flag} in UAT` })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flags' }).click();
  await filterList(page, flag, false);
  await expect(row).toContainText('active');
  await row.getByRole('link', { name: flag }).click();

  await confirm(page, 'Archive', 'Archive this flag?');
  await confirm(page, 'Delete', 'Delete this flag?');
  await expect(page).toHaveURL(/\/flags$/);
  await expect(page.getByText(`Deleted ${flag}.`)).toBeVisible();
  await filterList(page, flag, true);
  await expect(page.getByText('No flag matches these filters.')).toBeVisible();
  await page.goto(`/flags/${flag}`);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

/** Presses a lifecycle button of the flag page and confirms it in its dialog. */
async function confirm(page: Page, button: string, title: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** The /flags list (already open) searched for this flag, archived ones or the default, once the answer is in. */
async function filterList(page: Page, flag: string, archived: boolean) {
  await expect(page.getByRole('heading', { name: 'Flags', exact: true })).toBeVisible();
  await page.getByLabel('Search flags').fill(flag);
  await page.getByLabel('Archived', { exact: true }).setChecked(archived);
  const answered = page.waitForResponse(
    (r) => r.url().includes('flags.list') && decodeURIComponent(r.url()).includes(flag),
  );
  await page.getByRole('button', { name: 'Filter' }).click();
  expect((await answered).status()).toBe(200);
}
