import { createSql, embeddedDatabaseUrl } from '@sextant/db';
import { expect, test } from './fixtures';
import { ADMIN, createUserInConsole, firstSignIn, signIn } from './helpers';

const PG_PORT = Number(process.env.E2E_PG_PORT ?? '54310');
const RECEIVER = `db-pager-${Date.now().toString(36)}`;

// Receivers have their own console; this spec needs only one to exist, so it writes the row itself.
test.beforeAll(async () => {
  const sql = createSql(embeddedDatabaseUrl(PG_PORT), { max: 1 });
  try {
    await sql`insert into receivers (name) values (${RECEIVER})`;
  } finally {
    await sql.end();
  }
});

test('a maintainer adds a team=db route to a receiver; the tester sends team=db there and team=web to the root', async ({
  openPage,
}) => {
  test.setTimeout(60_000);
  const admin = await openPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  const password = await createUserInConsole(admin, 'routes-maintainer@e2e.local', 'maintainer');
  const page = await openPage();
  await firstSignIn(page, 'routes-maintainer@e2e.local', password, 'routes-maintainer-pass-1');

  await page.getByRole('link', { name: 'Routes', exact: true }).click();
  // A fresh install's root has no receiver: the page says alerts would notify nobody, and how to fix it.
  const noRootReceiver = page.getByTestId('routes-no-root-receiver');
  await expect(noRootReceiver).toContainText('Edit the root route and pick a receiver');
  const root = page.locator('[data-testid="route-node"][data-route-id="root"]');
  await root.getByRole('button', { name: 'Add child', exact: true }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Matcher 1 label').fill('team');
  await dialog.getByLabel('Matcher 1 value').fill('db');
  await dialog.getByLabel('Receiver').selectOption({ label: RECEIVER });
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('button', { name: 'Save tree', exact: true }).click();
  await expect(page.getByText(/Routing tree saved/)).toBeVisible();

  const child = page.locator('[data-testid="route-node"]').filter({ hasText: 'team=db' }).last();
  await expect(child.getByTestId('setting-receiver')).toHaveText(RECEIVER);
  await expect(child.getByTestId('setting-group_wait')).toContainText('(inherited from root)');

  const tester = page.getByTestId('route-tester');
  await tester.getByLabel('Alert labels').fill('alertname=DiskFull\nteam=db');
  await tester.getByRole('button', { name: 'Test', exact: true }).click();
  const taken = tester.getByTestId('tested-route');
  await expect(taken).toHaveCount(1);
  await expect(taken).toContainText(RECEIVER);
  await expect(taken).not.toHaveAttribute('data-route-id', 'root');
  await expect(taken.getByTestId('tested-group_wait')).toContainText('inherited from root');

  await tester.getByLabel('Alert labels').fill('{"alertname": "DiskFull", "team": "web"}');
  await tester.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(taken).toHaveCount(1);
  await expect(taken).toHaveAttribute('data-route-id', 'root');

  // Picking a receiver for the root (in the draft) clears the warning; discarded, so other specs keep the seed's root.
  await root.getByRole('button', { name: 'Edit', exact: true }).first().click();
  await dialog.getByLabel('Receiver').selectOption({ label: RECEIVER });
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(noRootReceiver).toHaveCount(0);
  await page.getByRole('button', { name: 'Discard changes', exact: true }).click();
  await expect(noRootReceiver).toBeVisible();
});
