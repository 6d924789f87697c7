import { randomBytes } from 'node:crypto';
import { createSql, embeddedDatabaseUrl } from '@sextant/db';
import { expect, test } from './fixtures';
import { asAdmin, createUserInConsole, firstSignIn } from './helpers';

const PG_PORT = Number(process.env.E2E_PG_PORT ?? '54310');
const ALERT = `HighErrors${Date.now()}`;

/**
 * Two firing alerts as the Alertmanager ingest would store them (only the checkout one should be silenced), and a
 * CheckoutDown outage on payments that the inhibition rule made below turns into a source.
 */
test.beforeAll(async () => {
  const sql = createSql(embeddedDatabaseUrl(PG_PORT), { max: 1 });
  try {
    for (const labels of [
      { alertname: ALERT, service: 'checkout', severity: 'page' },
      { alertname: ALERT, service: 'payments', severity: 'page' },
      { alertname: 'CheckoutDown', service: 'payments' },
    ])
      await sql`
        insert into alert_instances (source, fingerprint, labels, state, reason, active_at)
        values ('external', ${randomBytes(8).toString('hex')}, ${sql.json(labels)}, 'firing', 'Ingested', now())`;
  } finally {
    await sql.end();
  }
});

test('a maintainer silences an alert from the prefilled form after a preview, then expires it; a viewer only reads', async ({
  openPage,
}) => {
  test.setTimeout(180_000);
  const admin = await openPage();
  await asAdmin(admin);
  const maintainerPassword = await createUserInConsole(admin, 'silence-maintainer@e2e.local', 'maintainer');
  const viewerPassword = await createUserInConsole(admin, 'silence-viewer@e2e.local', 'viewer');

  const page = await openPage();
  await firstSignIn(page, 'silence-maintainer@e2e.local', maintainerPassword, 'silence-maintainer-pass-1');
  // What "Silence this alert" links to: one `matcher` parameter per label.
  await page.goto(`/silences/new?matcher=alertname%3D${ALERT}&matcher=service%3Dcheckout`);
  await expect(page.getByLabel('Matcher 1 value')).toHaveValue(ALERT);
  await expect(page.getByLabel('Matcher 2 label')).toHaveValue('service');
  await expect(page.getByLabel('Matcher 2 value')).toHaveValue('checkout');
  await expect(page.getByTestId('silence-preview-count')).toHaveText('Would mute 1 alert now.');
  await expect(page.getByTestId('preview-alert')).toContainText('service=checkout');

  // Widening to a regex previews both alerts before anything is saved.
  await page.getByLabel('Matcher 2 operator').selectOption('=~');
  await page.getByLabel('Matcher 2 value').fill('checkout|payments');
  await expect(page.getByTestId('silence-preview-count')).toHaveText('Would mute 2 alerts now.');
  await page.getByLabel('Matcher 2 operator').selectOption('=');
  await page.getByLabel('Matcher 2 value').fill('checkout');
  await expect(page.getByTestId('silence-preview-count')).toHaveText('Would mute 1 alert now.');

  // A comment is required: refused next to its field, nothing saved.
  await page.getByRole('button', { name: 'Create silence' }).click();
  await expect(page.getByText('Required.')).toBeVisible();
  await page.getByLabel('Comment').fill('Deploying a fix for checkout errors.');
  await page.getByRole('button', { name: 'Create silence' }).click();

  await expect(page).toHaveURL(/\/silences$/);
  const row = page.locator('[data-testid="silence-row"]', { hasText: ALERT });
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row.getByTestId('matcher-chip')).toHaveText([`alertname=${ALERT}`, 'service=checkout']);
  await expect(row).toContainText('silence-maintainer@e2e.local');
  const id = await row.getAttribute('data-id');

  // Only the comment changes: saved in place, same id.
  await row.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Matcher 2 value')).toHaveValue('checkout');
  await page.getByLabel('Comment').fill('Fix deploying, extended.');
  await page.getByRole('button', { name: 'Save silence' }).click();
  await expect(page).toHaveURL(/\/silences$/);
  await expect(row).toHaveAttribute('data-id', id!);
  await expect(row).toContainText('Fix deploying, extended.');

  // An inhibition rule through its dialog: the matchers editor refuses an empty label next to its row.
  await page.getByRole('link', { name: 'Inhibition' }).click();
  await page.getByRole('button', { name: 'New inhibition rule' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(`Outage hides ${ALERT}`);
  await dialog.getByLabel('Source matcher 1 value').fill('CheckoutDown');
  await dialog.getByLabel('Target matcher 1 value').fill(ALERT);
  await dialog.getByLabel('Equal labels (optional)').fill('service');
  await dialog.getByLabel('Target matcher 1 label').fill('');
  await dialog.getByRole('button', { name: 'Create rule' }).click();
  await expect(dialog.getByTestId('inhibit-target').getByRole('alert')).toBeVisible();
  await dialog.getByLabel('Target matcher 1 label').fill('alertname');
  await dialog.getByRole('button', { name: 'Create rule' }).click();
  const rule = page.locator('[data-testid="inhibition-rule-row"]', { hasText: `Outage hides ${ALERT}` });
  await expect(rule.getByTestId('matcher-chip')).toHaveText(['alertname=CheckoutDown', `alertname=${ALERT}`]);

  // The Alerts page names what mutes each alert, with links; the inhibiting CheckoutDown is not on this page.
  await page.goto(`/alerts?text=${ALERT}`);
  await expect(page.getByTestId('alert-row')).toHaveCount(2);
  const checkout = page.getByTestId('alert-row').filter({ hasText: 'service=checkout' });
  const silencedBy = checkout
    .getByTestId('muted-by')
    .getByRole('link', { name: `silence ${id!.slice(0, 8)}` });
  await expect(checkout.getByTestId('muted-by')).toContainText('Silenced by');
  const payments = page.getByTestId('alert-row').filter({ hasText: 'service=payments' });
  await expect(payments.getByTestId('muted-by')).toContainText('Inhibited by CheckoutDown');
  await silencedBy.click();
  await expect(page).toHaveURL(`/silences?state=all#silence-${id}`);
  await expect(page.locator(`[id="silence-${id}"]`)).toHaveAttribute('data-state', 'active');
  await page.goBack();
  await payments.getByTestId('muted-by').getByRole('link', { name: 'rule' }).click();
  await expect(page).toHaveURL(/\/inhibition#inhibition-rule-/);
  const anchor = new URL(page.url()).hash.slice(1);
  await expect(page.locator(`[id="${anchor}"]`)).toHaveAttribute('data-name', `Outage hides ${ALERT}`);
  await page.getByRole('link', { name: 'Silences' }).click();

  const viewer = await openPage();
  await firstSignIn(viewer, 'silence-viewer@e2e.local', viewerPassword, 'silence-viewer-password-1');
  await viewer.getByRole('link', { name: 'Silences' }).click();
  const seen = viewer.locator('[data-testid="silence-row"]', { hasText: ALERT });
  await expect(seen).toHaveAttribute('data-state', 'active');
  await expect(seen.getByRole('button')).toHaveCount(0);
  await expect(seen.getByRole('link')).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'New silence' })).toHaveCount(0);
  await viewer.getByRole('link', { name: 'Inhibition' }).click();
  const seenRule = viewer.locator('[data-testid="inhibition-rule-row"]', {
    hasText: `Outage hides ${ALERT}`,
  });
  await expect(seenRule).toContainText('service');
  await expect(seenRule.getByRole('button')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'New inhibition rule' })).toHaveCount(0);
  await viewer.getByRole('link', { name: 'Silences' }).click();

  await row.getByRole('button', { name: 'Expire' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Expire' }).click();
  await expect(row).toHaveCount(0);
  await page.getByRole('link', { name: 'Expired' }).click();
  await expect(page.locator('[data-testid="silence-row"]', { hasText: ALERT })).toHaveAttribute(
    'data-state',
    'expired',
  );
  await viewer.reload();
  // Other specs' silences may be active too: this one has left the viewer's list.
  await expect(viewer.locator('[data-testid="silence-row"]', { hasText: ALERT })).toHaveCount(0);
});
