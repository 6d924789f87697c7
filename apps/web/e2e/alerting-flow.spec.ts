import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { asAdmin, createUserInConsole, firstSignIn, trpcFromPage } from './helpers';

const METRIC = 'e2e_flow_requests_total';
const ALERT = 'E2EFlowErrorRatio';

/** Pushes the service's request counters every 2 s: 10 % errors until `errors` is turned off, then none. */
function startTraffic(page: Page) {
  const state = { errors: true, ok: 0, err: 0, stopped: false, failures: [] as number[] };
  const push = async () => {
    state.ok += 45;
    if (state.errors) state.err += 5;
    const ts = Date.now();
    const points = [
      { name: METRIC, labels: { service: 'e2e-flow', status: '200' }, ts, value: state.ok, kind: 'counter' },
      { name: METRIC, labels: { service: 'e2e-flow', status: '500' }, ts, value: state.err, kind: 'counter' },
    ];
    const { status } = await trpcFromPage(page, 'metrics.push', { points });
    if (status !== 200) state.failures.push(status);
  };
  const loop = (async () => {
    while (!state.stopped) {
      await push();
      await new Promise((r) => setTimeout(r, 2_000));
    }
  })();
  const stop = async () => {
    state.stopped = true;
    await loop;
  };
  return { state, stop };
}

test('a metric rule made in the editor goes pending, then firing, live; silenced from the alert; resolved when errors stop; a viewer only looks', async ({
  page,
  openPage,
}) => {
  test.setTimeout(300_000);
  await asAdmin(page);
  const maintainerPassword = await createUserInConsole(page, 'flow-maintainer@e2e.local', 'maintainer');
  const viewerPassword = await createUserInConsole(page, 'flow-viewer@e2e.local', 'viewer');
  const traffic = startTraffic(page);
  try {
    const m = await openPage();
    await firstSignIn(m, 'flow-maintainer@e2e.local', maintainerPassword, 'flow-maintainer-password-1');
    await m.goto('/alerts/rules/new');
    await m.getByLabel('Name (alertname)').fill(ALERT);
    await m.getByLabel('Metric', { exact: true }).fill(METRIC);
    await m.getByLabel('Label matchers').fill('service="e2e-flow"');
    await m.getByLabel('Function').selectOption('error_ratio');
    // A raw-sample window (not whole minutes), so the rule sees pushes at once rather than after a rollup.
    await m.getByLabel('Window (seconds)').fill('30');
    await m.getByLabel('Comparison').selectOption('>');
    await m.getByLabel('Threshold', { exact: true }).fill('0.05');
    await m.getByLabel('For (seconds)').fill('60');
    await m.getByLabel('Interval (seconds)').fill('10');
    await m.getByLabel('Summary').fill('errors at {{ $value | humanizePercentage }} (over {{ $threshold }})');
    // Evaluate now: the draft's query runs against the pushed counters and would start a pending alert.
    await expect(async () => {
      await m.getByRole('button', { name: 'Evaluate now' }).click();
      await expect(m.getByTestId('evaluate-summary')).toHaveText('1 series, 1 past the threshold.', {
        timeout: 3_000,
      });
    }).toPass({ timeout: 30_000 });
    await expect(m.getByTestId('evaluate-result')).toContainText('ConditionMet');
    await m.getByRole('button', { name: 'Create rule' }).click();
    await expect(m).toHaveURL(/\/alerts\/rules$/);

    // The Alerts page shows it pending, then firing, without a reload.
    await m.getByRole('link', { name: 'Alerts', exact: true }).click();
    await expect(m).toHaveURL(/\/alerts$/);
    await m.evaluate(() => {
      (window as unknown as { noReload: boolean }).noReload = true;
    });
    const row = m.locator(`[data-testid="alert-row"][data-alertname="${ALERT}"]`);
    await expect(row).toHaveAttribute('data-state', 'pending', { timeout: 40_000 });
    await expect(row).toHaveAttribute('data-state', 'firing', { timeout: 100_000 });
    expect(await m.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);

    // Silence it from the alert: the form is prefilled with its labels and previews it.
    await row.getByRole('link', { name: 'Silence', exact: true }).click();
    await expect(m).toHaveURL(/\/silences\/new\?/);
    await expect(m.getByTestId('silence-preview-count')).toHaveText('Would mute 1 alert now.');
    await m.getByLabel('Comment').fill('Known: a bad deploy, rolling back.');
    await m.getByRole('button', { name: 'Create silence' }).click();
    await expect(m).toHaveURL(/\/silences$/);
    await m.getByRole('link', { name: 'Alerts', exact: true }).click();
    await expect(row.getByTestId('muted-by')).toContainText('Silenced by');

    // The viewer sees the alert and no controls.
    const v = await openPage();
    await firstSignIn(v, 'flow-viewer@e2e.local', viewerPassword, 'flow-viewer-password-1');
    await v.goto('/alerts');
    const seen = v.locator(`[data-testid="alert-row"][data-alertname="${ALERT}"]`);
    await expect(seen).toHaveAttribute('data-state', 'firing');
    await expect(seen.getByTestId('muted-by')).toContainText('Silenced by');
    await expect(v.getByRole('link', { name: 'Silence', exact: true })).toHaveCount(0);

    // The errors stop: once the window holds none, the alert resolves, still without a reload.
    traffic.state.errors = false;
    await expect(row).toHaveAttribute('data-state', 'resolved', { timeout: 90_000 });
    await expect(seen).toHaveAttribute('data-state', 'resolved', { timeout: 15_000 });
  } finally {
    await traffic.stop();
  }
  expect(traffic.state.failures).toEqual([]);
});
