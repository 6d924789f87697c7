import { expect, test } from '@playwright/test';
import { allowLoopbackTargets, asAdmin, createServiceInConsole, localServer } from './helpers';

let scrapes = 0;

// A service's own Prometheus endpoint: its request counter grows by 30 between scrapes, 3 of them 5xx.
const exporter = localServer((_req, res) => {
  scrapes += 1;
  res.setHeader('content-type', 'text/plain; version=0.0.4');
  res.end(`# TYPE http_requests_total counter
http_requests_total{status="200"} ${scrapes * 27}
http_requests_total{status="500"} ${scrapes * 3}
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} ${scrapes * 20}
http_request_duration_seconds_bucket{le="0.5"} ${scrapes * 29}
http_request_duration_seconds_bucket{le="+Inf"} ${scrapes * 30}
http_request_duration_seconds_sum ${scrapes * 3.2}
http_request_duration_seconds_count ${scrapes * 30}
`);
});

test('a scrape target added in the console is pulled on its interval and fills the service dashboard', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await asAdmin(page);
  await allowLoopbackTargets(page); // the exporter listens on 127.0.0.1
  await createServiceInConsole(page, 'E2E Exporter', 'e2e-exporter');
  const exporterUrl = exporter.url('/metrics');

  await page.goto('/services/e2e-exporter');
  await page.getByRole('button', { name: 'New scrape target' }).click();
  const dialog = page.getByRole('dialog');
  // Client-side rules first: a timeout as long as the interval is refused next to the field.
  await dialog.getByLabel('URL').fill(exporterUrl);
  await dialog.getByLabel('Environment').selectOption({ label: 'PRO' });
  await dialog.getByLabel('Interval (seconds)').fill('5');
  await dialog.getByLabel('Timeout (ms)').fill('5000');
  await dialog.getByRole('button', { name: 'Add target' }).click();
  await expect(dialog.getByText('The timeout must be shorter than the interval.')).toBeVisible();
  await dialog.getByLabel('Timeout (ms)').fill('2000');
  await dialog.getByLabel('Extra labels (optional)').fill('region=eu');
  await dialog.getByRole('button', { name: 'Add target' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('scrape-target-row');
  await expect(row).toContainText(exporterUrl);
  await expect(row).toContainText('region=eu');
  // The page polls; within a couple of intervals the row reports a good scrape and its sample count.
  await expect(row.getByTestId('scrape-state')).toHaveText('OK', { timeout: 30_000 });
  await expect(row.getByTestId('scrape-samples')).toHaveText('3'); // 2 counters + 1 histogram

  await row.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/metrics\/e2e-exporter\/PRO/);
  // A rate needs two scrapes; the requests and error charts fill as they arrive.
  for (const key of ['requests', 'errors', 'latency']) {
    await expect
      .poll(async () => Number(await page.getByTestId(`chart-${key}`).getAttribute('data-points')), {
        timeout: 60_000,
        intervals: [1_000],
      })
      .toBeGreaterThan(0);
  }

  // The exporter has no process metrics: the CPU chart says which series it reads and with which labels.
  await expect(page.getByTestId('chart-cpu').getByTestId('chart-expects')).toHaveText(
    'Reads process_cpu_seconds_total with service="e2e-exporter", environment="PRO"',
  );

  // Failing endpoints say why, on the service page.
  exporter.server.closeAllConnections();
  exporter.server.close();
  await page.goto('/services/e2e-exporter');
  await expect(row.getByTestId('scrape-state')).toHaveText('Failing', { timeout: 30_000 });
  await expect(row.getByTestId('scrape-error')).toContainText('refused');
});
