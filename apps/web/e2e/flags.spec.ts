import type { Page } from '@playwright/test';
import { createFlagClient, type FlagClient, type FlagSnapshot } from '@sextant/flags';
import { createClient } from '@sextant/trpc/client';
import { expect, test } from './fixtures';
import { ADMIN, API_URL, firstSignIn, signIn, trpcFromPage } from './helpers';

// Issue 18 point 3: the flag console. Setup goes through the API with a maintainer's key; the strategy editor,
// its preview and the per-environment switches are what is driven in the browser.
const RUN = Date.now().toString(36);
const FLAG = `e2e-rollout-${RUN}`;
const MAINTAINER = { email: `flag-maintainer-${RUN}@e2e.local`, password: `flag-maint-pass-${RUN}` };
const VIEWER = { email: `flag-viewer-${RUN}@e2e.local`, password: `flag-viewer-pass-${RUN}` };

/** When the streaming client first holds a snapshot that satisfies `test` (now, if it already does). */
function firstSeen(client: FlagClient, test: (s: FlagSnapshot) => boolean) {
  const at: { ms?: number } = {};
  const current = client.snapshot();
  if (current && test(current)) at.ms = Date.now();
  else {
    const off = client.onChange((s) => {
      if (at.ms === undefined && test(s)) {
        at.ms = Date.now();
        off();
      }
    });
  }
  return at;
}

async function call(page: Page, path: string, input: unknown) {
  const r = await trpcFromPage(page, path, input);
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(200);
  return r.json.result.data.json;
}

test('req. 9–12: a maintainer rolls a flag to 20 % in UAT only in the strategy editor, the preview shows about 20 % of 1,000 users, a streaming client sees each change within 2 s; a viewer sees the flag with no toggle and no save', async ({
  openPage,
}) => {
  test.setTimeout(120_000);
  const admin = await openPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  const m = await call(admin, 'users.create', { email: MAINTAINER.email, role: 'maintainer' });
  const v = await call(admin, 'users.create', { email: VIEWER.email, role: 'viewer' });
  await admin.context().close();

  const page = await openPage();
  await firstSignIn(page, MAINTAINER.email, m.temporaryPassword, MAINTAINER.password);
  const { key } = await call(page, 'apiKeys.create', { name: `flags ${RUN}`, role: 'maintainer' });
  const api = createClient({ url: `${API_URL}/trpc`, apiKey: key });
  await api.flags.create.mutate({ key: FLAG, type: 'boolean', tags: ['console-e2e'] });
  // On for everyone in UAT and PRO before the rollout, so "PRO unchanged" means still on for everyone.
  await api.flags.toggle.mutate({ key: FLAG, environment: 'UAT', enabled: true });
  await api.flags.toggle.mutate({ key: FLAG, environment: 'PRO', enabled: true });
  const before = await api.flags.get.query({ key: FLAG });
  // The test process is a service evaluating UAT in process, kept fresh over SSE (req. 12).
  const stream = createFlagClient({ baseUrl: API_URL, apiKey: key, environment: 'UAT', mode: 'stream' });
  try {
    await stream.ready();
    await expect.poll(() => stream.snapshot()?.flags[FLAG]?.enabled).toBe(true);
    await rollAndToggle(page, stream, api, before);
  } finally {
    stream.close();
  }

  const viewer = await openPage();
  await firstSignIn(viewer, VIEWER.email, v.temporaryPassword, VIEWER.password);
  await viewer.goto('/flags');
  const seen = viewer.locator(`[data-testid="flag-row"][data-flag="${FLAG}"]`);
  await expect(seen.locator('[data-testid="flag-state"][data-env="UAT"]')).toHaveText('off');
  await expect(viewer.getByRole('switch')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'New flag' })).toHaveCount(0);
  await seen.getByRole('link', { name: FLAG }).click();
  await expect(viewer.getByRole('tab', { name: 'UAT' })).toBeVisible();
  await viewer.getByRole('tab', { name: 'UAT' }).click();
  await expect(
    viewer.locator('[data-testid="env-editor"][data-env="UAT"]').getByLabel('Rollout (%)'),
  ).toHaveValue('20');
  await expect(viewer.getByRole('switch')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /^Save/ })).toHaveCount(0);
  await expect(
    viewer.getByRole('button', { name: /^(Add strategy|Add constraint|Split evenly|Remove)/ }),
  ).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /archive|delete|edit/i })).toHaveCount(0);
});

/** In the console: roll UAT to 20 % in the strategy editor, check nothing else moved, then switch UAT off. */
async function rollAndToggle(
  page: Page,
  stream: FlagClient,
  api: ReturnType<typeof createClient>,
  before: Awaited<ReturnType<ReturnType<typeof createClient>['flags']['get']['query']>>,
) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flags' }).click();
  await page.getByLabel('Tag').fill('console-e2e');
  await page.getByLabel('Search flags').fill(FLAG);
  await page.getByRole('button', { name: 'Filter' }).click();
  const row = page.locator(`[data-testid="flag-row"][data-flag="${FLAG}"]`);
  await expect(row.getByRole('switch', { name: `${FLAG} in UAT` })).toHaveAttribute('aria-checked', 'true');
  await expect(row.getByRole('switch', { name: `${FLAG} in DEV` })).toHaveAttribute('aria-checked', 'false');
  await row.getByRole('link', { name: FLAG }).click();

  await page.getByRole('tab', { name: 'UAT' }).click();
  const editor = page.locator('[data-testid="env-editor"][data-env="UAT"]');
  await editor.getByRole('button', { name: 'Add strategy' }).click();
  await editor.getByLabel('Rollout (%)').fill('20');
  // The draft, evaluated in the browser for 1,000 random users: about a fifth get it.
  const line = editor.getByTestId('preview-distribution');
  await expect(line).toContainText('1,000 random users:');
  await expect.poll(async () => Number(await line.getAttribute('data-on'))).toBeGreaterThan(150);
  expect(Number(await line.getAttribute('data-on'))).toBeLessThan(250);

  const rolled = firstSeen(stream, (s) =>
    JSON.stringify(s.flags[FLAG]?.strategies ?? []).includes('"percentage":20'),
  );
  const saved = page.waitForResponse((r) => r.url().includes('flags.setEnvironment'));
  await editor.getByRole('button', { name: 'Save UAT' }).click();
  expect((await saved).status()).toBe(200);
  const savedAt = Date.now();
  await expect.poll(() => rolled.ms, { timeout: 5_000 }).toBeDefined();
  expect(rolled.ms! - savedAt).toBeLessThanOrEqual(2_000);
  expect(stream.getBooleanDetails(FLAG, false, { userId: 'someone' }).reason).toBe('SPLIT');
  await expect(
    editor.getByText(`Version ${before.environments.find((e) => e.environment === 'UAT')!.version + 1}.`),
  ).toBeVisible();

  const after = await api.flags.get.query({ key: FLAG });
  for (const env of after.environments) {
    const was = before.environments.find((e) => e.environment === env.environment)!;
    if (env.environment === 'UAT') {
      expect(env.version).toBe(was.version + 1);
      expect(env.enabled).toBe(true);
      expect(env.strategies).toMatchObject([
        { type: 'gradualRollout', percentage: 20, stickiness: 'default' },
      ]);
    } else {
      expect(env).toEqual(was);
    }
  }
  await expect(page.getByTestId('flag-history')).toContainText('UAT: rollout 20 %');

  // The switch next to the UAT tab: off, and the client answers DISABLED within 2 s.
  const off = firstSeen(stream, (s) => s.flags[FLAG]?.enabled === false);
  const toggled = page.waitForResponse((r) => r.url().includes('flags.toggle'));
  await page.getByRole('switch', { name: `${FLAG} in UAT` }).click();
  expect((await toggled).status()).toBe(200);
  const toggledAt = Date.now();
  await expect.poll(() => off.ms, { timeout: 5_000 }).toBeDefined();
  expect(off.ms! - toggledAt).toBeLessThanOrEqual(2_000);
  expect(stream.getBooleanDetails(FLAG, true, { userId: 'someone' }).reason).toBe('DISABLED');
}
