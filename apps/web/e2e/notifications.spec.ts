import type { IncomingMessage } from 'node:http';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  ADMIN,
  allowLoopbackTargets,
  createServiceInConsole,
  createUserInConsole,
  firstSignIn,
  localServer,
  signIn,
  submitNewCheck,
  trpcFromPage,
} from './helpers';

const SERVICE = 'e2e-notify';
const HOOK = 'e2e-notify-hook';
const FLAKY = 'e2e-notify-flaky';

interface Received {
  status: string;
  notification_reason: string;
  idempotencyKey: string;
  alerts: { status: string; fingerprint: string; labels: Record<string, string> }[];
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => resolve(body));
  });

/** A collecting webhook: every message it answered 2xx to, in order. */
function collector(answer: () => number) {
  const got: Received[] = [];
  let calls = 0;
  const local = localServer(async (req, res) => {
    const body = await read(req);
    calls++;
    const status = answer();
    if (status < 300) got.push(JSON.parse(body) as Received);
    res.statusCode = status;
    res.end();
  });
  return { local, got, calls: () => calls, firing: () => got.filter((m) => m.status === 'firing') };
}

// The check's target: failing until the test brings it back.
const target = { up: false };
const site = localServer((_req, res) => {
  res.statusCode = target.up ? 200 : 503;
  res.end('x');
});
const hook = collector(() => 200);
const flaky = { fail: true };
const flakyHook = collector(() => (flaky.fail ? 500 : 200));

/** tRPC's answer data through the page (superjson's `json` part). */
async function call(page: Page, path: string, input: unknown, method: 'GET' | 'POST' = 'POST') {
  const r = await trpcFromPage(page, path, input, { method });
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(200);
  return r.json.result.data.json;
}

const webhook = (url: string) => ({
  kind: 'webhook',
  sendResolved: true,
  timeoutMs: 2_000,
  url,
  maxAlerts: 0,
  hmacSecret: null,
  bearerToken: null,
});

test('a check goes DOWN: its webhook gets one firing message, shown with its reason; a failing receiver retries, dead-letters and "Retry now" delivers; the resolve arrives', async ({
  openPage,
}) => {
  test.setTimeout(300_000);
  const admin = await openPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await allowLoopbackTargets(admin); // the target and both webhooks listen on 127.0.0.1
  const maintainerTemp = await createUserInConsole(admin, 'notify-maintainer@e2e.local', 'maintainer');
  const viewerTemp = await createUserInConsole(admin, 'notify-viewer@e2e.local', 'viewer');
  await createServiceInConsole(admin, 'E2E Notify', SERVICE);

  const m = await openPage();
  await firstSignIn(m, 'notify-maintainer@e2e.local', maintainerTemp, 'notify-maintainer-password-1');

  // Two receivers and a route for the service's alerts to both, on timers of seconds.
  const receiverId = async (name: string, url: string) =>
    (await call(m, 'receivers.create', { receiver: { name, description: '', integrations: [webhook(url)] } }))
      .id as string;
  const hookId = await receiverId(HOOK, hook.local.url('/hook'));
  const flakyId = await receiverId(FLAKY, flakyHook.local.url('/hook'));
  const { tree, version } = await call(m, 'routes.get', undefined, 'GET');
  const child = (id: string, receiver: string) => ({
    id,
    matchers: [{ label: 'service', op: '=', value: SERVICE }],
    continue: true,
    receiverId: receiver,
    groupBy: ['alertname'],
    groupWaitSeconds: 1,
    groupIntervalSeconds: 2,
    repeatIntervalSeconds: 3_600,
    children: [],
  });
  await call(m, 'routes.update', {
    tree: {
      ...tree,
      children: [child('e2e-notify-hook', hookId), child('e2e-notify-flaky', flakyId), ...tree.children],
    },
    expectedVersion: version,
  });

  // A check on the failing target: DOWN at its first run, its default rule fires after two.
  await submitNewCheck(m, SERVICE, {
    Name: 'notified',
    URL: site.url('/health'),
    'Interval (seconds)': '10',
    'Timeout (ms)': '2000',
    'Failure threshold': '1',
  });
  await expect.poll(() => hook.firing().length, { timeout: 60_000 }).toBe(1);
  const first = hook.firing()[0]!;
  expect(first.notification_reason).toBe('first notification');
  expect(first.alerts.map((a) => [a.status, a.labels.alertname, a.labels.service])).toEqual([
    ['firing', 'notified down', SERVICE],
  ]);

  // The Notifications page: the delivery and the decision with its reason.
  await m.goto('/notifications?tab=deliveries');
  const delivered = m.getByTestId('delivery-row').filter({ hasText: HOOK });
  await expect(delivered.first()).toHaveAttribute('data-state', 'delivered', { timeout: 10_000 });
  await expect(delivered.first()).toContainText('firing · first notification');
  await m.getByRole('link', { name: 'Decisions', exact: true }).click();
  const tick = m.getByTestId('tick-row').filter({ hasText: HOOK }).first();
  await expect(tick.getByTestId('decision')).toContainText('sent · first notification');
  await tick.getByRole('button', { name: 'Why', exact: true }).click();
  await expect(m.getByTestId('tick-firing')).toContainText('notified down');

  // The failing receiver: retried with the remote's 500, then dead-lettered at the (short) maximum age.
  await m.getByRole('link', { name: 'Dead letters', exact: true }).click();
  const dead = m.getByTestId('delivery-row').filter({ hasText: FLAKY });
  await expect(dead).toHaveCount(1, { timeout: 40_000 });
  await expect(dead).toHaveAttribute('data-state', 'dead');
  expect(Number(await dead.getByTestId('delivery-attempts').textContent())).toBeGreaterThan(1);
  await expect(dead).toContainText('500');
  expect(flakyHook.calls()).toBeGreaterThan(1);
  expect(flakyHook.got).toHaveLength(0);

  // A viewer sees the dead letter but no Retry.
  const v = await openPage();
  await firstSignIn(v, 'notify-viewer@e2e.local', viewerTemp, 'notify-viewer-password-1');
  await v.goto('/notifications?tab=dead');
  await expect(v.getByTestId('delivery-row').filter({ hasText: FLAKY })).toHaveCount(1);
  await expect(v.getByRole('button', { name: 'Retry now' })).toHaveCount(0);

  // The receiver answers 200 again; "Retry now" delivers the same message once.
  flaky.fail = false;
  await dead.getByRole('button', { name: 'Retry now', exact: true }).click();
  await m.getByRole('dialog').getByRole('button', { name: 'Retry now', exact: true }).click();
  await expect.poll(() => flakyHook.got.length, { timeout: 60_000 }).toBe(1);
  expect(flakyHook.got[0]!.status).toBe('firing');
  await m.getByRole('link', { name: 'Deliveries', exact: true }).click();
  await expect(m.getByTestId('delivery-row').filter({ hasText: FLAKY }).first()).toHaveAttribute(
    'data-state',
    'delivered',
    { timeout: 10_000 },
  );

  // The check recovers: the resolve arrives, and no second firing message ever did.
  target.up = true;
  await expect
    .poll(() => hook.got.filter((g) => g.status === 'resolved').length, { timeout: 60_000 })
    .toBe(1);
  const resolved = hook.got.find((g) => g.status === 'resolved')!;
  expect(resolved.alerts.map((a) => a.status)).toEqual(['resolved']);
  expect(hook.firing()).toHaveLength(1);

  // The alert's page shows where its notifications went.
  await m.goto(`/alerts/${first.alerts[0]!.fingerprint}`);
  const card = m.getByTestId('alert-notifications');
  await expect(card.getByTestId('alert-notification-row').filter({ hasText: HOOK }).first()).toBeVisible();
  await expect(card).toContainText('delivered');
});
