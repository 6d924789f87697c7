import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import superjson from 'superjson';
import { expect, test } from './fixtures';
import {
  ADMIN,
  API_URL,
  allowLoopbackTargets,
  createServiceInConsole,
  localServer,
  signIn,
  trpcFromPage,
  WEB_URL,
} from './helpers';

// Issue 15's acceptance, start to end: an alert opens an incident, the public story reaches a signed-out visitor and
// a confirmed email subscriber (once), the subscriber leaves with one click, and maintenance mutes a DOWN check.
const RUN = Date.now().toString(36);
const SERVICE = `flow-shop-${RUN}`;
const PAGE = `flow-${RUN}`;
const FAN = `fan-${RUN}@e2e.example`;
const ALERT = `CheckoutErrors${RUN}`;
const PUBLIC_NOTE = 'Public: card payments fail for some customers; we are on it.';
const INTERNAL_NOTE = 'Internal: payments-db primary is out of connections.';
const WINDOW = `Database upgrade ${RUN}`;

/** A plain SMTP server on 127.0.0.1 keeping every message, parsed. */
const mails: ParsedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    void simpleParser(stream).then((mail) => {
      mails.push(mail);
      callback();
    });
  },
});
smtp.on('error', () => {});
test.beforeAll(() => new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve)));
test.afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const toFan = () =>
  mails.filter((m) => m.text?.includes(`/status/${PAGE}`) && JSON.stringify(m.to).includes(FAN));
/** A link of a mail's text (`Confirm: <url>`), on the console the browser reaches. */
function linkIn(mail: ParsedMail, label: string): string {
  const found = new RegExp(`${label}: (\\S+)`).exec(mail.text ?? '')?.[1];
  expect(found, `${label} link in: ${mail.text}`).toBeTruthy();
  const url = new URL(found!);
  return `${WEB_URL}${url.pathname}${url.search}`;
}

// The route's webhook: the alert's messages, and none while maintenance mutes the check.
const hooked: { alerts: { status: string; labels: Record<string, string> }[] }[] = [];
const hook = localServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    hooked.push(JSON.parse(body));
    res.end();
  });
});
const target = localServer((_req, res) => {
  res.statusCode = 503;
  res.end('down');
});

async function call(page: Page, path: string, input: unknown, method: 'GET' | 'POST' = 'POST') {
  const r = await trpcFromPage(page, path, input, { method });
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(200);
  return r.json.result.data.json;
}

/** A mutation whose input holds Dates: sent as the console's client sends it, superjson-encoded. */
async function mutateWithDates(page: Page, path: string, input: unknown) {
  const r = await page.evaluate(
    async ({ path, body }) => {
      const res = await fetch(`/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    { path, body: JSON.stringify(superjson.serialize(input)) },
  );
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(200);
}

async function pushAlert(key: string, endsAt: Date) {
  const res = await fetch(`${API_URL}/api/v2/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels: { alertname: ALERT, service: SERVICE, environment: 'PRO' },
        annotations: { summary: 'Card payments failing' },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: endsAt.toISOString(),
      },
    ]),
  });
  expect(res.status).toBe(200);
}

test('an alert opens an incident; visitors and a confirmed subscriber get the public story once; one click unsubscribes; maintenance mutes a DOWN check', async ({
  openPage,
}) => {
  test.setTimeout(300_000);
  const admin = await openPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await allowLoopbackTargets(admin); // the SMTP server, the webhook and the check's target are on 127.0.0.1
  await createServiceInConsole(admin, `Flow Shop ${RUN}`, SERVICE, true);
  const serviceId = (await call(admin, 'services.get', { id: SERVICE }, 'GET')).service.id as string;
  const environments = (await call(admin, 'environments.list', undefined, 'GET')) as {
    id: string;
    name: string;
  }[];
  const pro = environments.find((e) => e.name === 'PRO')!.id;

  // Subscriber mail through an email integration; the service's alerts to a webhook, opening SEV2 incidents.
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const mail = await call(admin, 'receivers.create', {
    receiver: {
      name: `Status mail ${RUN}`,
      description: '',
      integrations: [
        {
          kind: 'email',
          sendResolved: true,
          timeoutMs: 5_000,
          to: ['ops@e2e.example'],
          from: 'status@e2e.example',
          smarthost: { host: '127.0.0.1', port: smtpPort },
          requireTls: false,
        },
      ],
    },
  });
  const hookReceiver = await call(admin, 'receivers.create', {
    receiver: {
      name: `Flow hook ${RUN}`,
      description: '',
      integrations: [
        { kind: 'webhook', sendResolved: true, timeoutMs: 2_000, url: hook.url('/hook'), maxAlerts: 0 },
      ],
    },
  });
  // Other specs edit the tree too: on a version conflict, read it again and retry.
  await expect(async () => {
    const { tree, version } = await call(admin, 'routes.get', undefined, 'GET');
    const child = {
      id: `flow-${RUN}`,
      matchers: [{ label: 'service', op: '=', value: SERVICE }],
      continue: false,
      receiverId: hookReceiver.id,
      groupBy: ['alertname'],
      groupWaitSeconds: 1,
      groupIntervalSeconds: 2,
      repeatIntervalSeconds: 3_600,
      incident: { severity: 'SEV2' },
      children: [],
    };
    await call(admin, 'routes.update', {
      tree: { ...tree, children: [child, ...tree.children] },
      expectedVersion: version,
    });
  }).toPass({ timeout: 30_000 });
  await call(admin, 'statusPages.create', {
    slug: PAGE,
    title: `Flow status ${RUN}`,
    visibility: 'public',
    logoUrl: null,
    footer: '',
    mailIntegrationId: mail.integrations[0].id,
    environmentIds: [pro],
    components: [{ serviceId, group: '' }],
  });
  const { key } = await call(admin, 'apiKeys.create', { name: `flow ${RUN}`, role: 'maintainer' });

  // An alert opens an incident, impact from its labels.
  await pushAlert(key, new Date(Date.now() + 3_600_000));
  let incidentId = '';
  await expect
    .poll(
      async () => {
        const list = await call(admin, 'incidents.list', { state: 'open', limit: 50 }, 'GET');
        incidentId = list.items.find((i: { title: string }) => i.title.startsWith(ALERT))?.id ?? '';
        return incidentId;
      },
      { timeout: 60_000 },
    )
    .not.toBe('');

  // The commander's public and internal updates.
  await admin.goto(`/incidents/${incidentId}`);
  await expect(admin.getByTestId('incident-severity')).toHaveText('SEV2');
  await expect(admin.getByTestId('incident-alert-group')).toHaveCount(1);
  for (const [note, internal] of [
    [PUBLIC_NOTE, false],
    [INTERNAL_NOTE, true],
  ] as const) {
    await admin.getByLabel('Update', { exact: true }).fill(note);
    if (internal) await admin.getByLabel('Internal (never on a status page)').check();
    await admin.getByRole('button', { name: 'Post update' }).click();
    await expect(admin.getByTestId('incident-update-body').filter({ hasText: note })).toHaveCount(1);
  }

  // Signed out: the public update only, the component in partial outage, today's bar amber.
  const visitor = await openPage();
  await visitor.goto(`/status/${PAGE}`);
  const incident = visitor.getByTestId('status-incidents').getByTestId('status-incident');
  await expect(incident).toContainText(PUBLIC_NOTE, { timeout: 30_000 });
  await expect(visitor.getByText(INTERNAL_NOTE)).toHaveCount(0);
  const component = visitor.locator(`[data-testid="status-service"][data-slug="${SERVICE}"]`);
  await expect(component).toHaveAttribute('data-status', 'partial_outage');
  await expect(component.getByTestId('status-service-state')).toHaveText('Partial outage');
  await expect(component.locator('[data-testid="strip-bar"][data-last="true"]')).toHaveAttribute(
    'data-tone',
    'minor',
  );

  // An email subscriber confirms through the captured link.
  const subscribe = visitor.getByTestId('status-subscribe');
  await subscribe.getByLabel('Email').fill(FAN);
  await subscribe.getByRole('button', { name: 'Subscribe' }).click();
  await expect(visitor.getByTestId('subscribe-answer')).toContainText('Check your inbox');
  await expect.poll(() => toFan().length, { timeout: 30_000 }).toBe(1);
  await visitor.goto(linkIn(toFan()[0]!, 'Confirm'));
  await visitor.getByRole('button', { name: 'Confirm subscription' }).click();
  await expect(visitor.getByTestId('subscription-done')).toContainText('You are subscribed');

  // The alert resolves: resolving is suggested, the commander resolves, the subscriber is told once.
  await pushAlert(key, new Date());
  const suggestion = admin.getByTestId('incident-suggest-resolve');
  await expect(suggestion).toBeVisible({ timeout: 60_000 });
  await suggestion.getByRole('button', { name: 'Resolve' }).click();
  await expect(admin.getByTestId('incident-status')).toHaveText('Resolved');
  await expect.poll(() => toFan().length, { timeout: 30_000 }).toBe(2);
  const resolved = toFan()[1]!;
  expect(resolved.subject).toMatch(/resolved/i);
  expect(resolved.text).not.toContain(INTERNAL_NOTE);
  expect(resolved.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toMatch(
    /List-Unsubscribe=One-Click/,
  );
  await admin.waitForTimeout(5_000); // a second copy would have come by now
  expect(toFan()).toHaveLength(2);

  // One click unsubscribes.
  await visitor.goto(linkIn(resolved, 'Unsubscribe'));
  await visitor.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(visitor.getByTestId('subscription-done')).toContainText('no more email');
  await admin.goto(`/status-pages`);
  const subscribers = await call(
    admin,
    'statusPages.subscribers',
    {
      pageId: (await call(admin, 'statusPages.list', undefined, 'GET')).find(
        (p: { slug: string }) => p.slug === PAGE,
      ).id,
    },
    'GET',
  );
  expect(subscribers.items.map((s: { email: string; state: string }) => [s.email, s.state])).toEqual([
    [FAN, 'unsubscribed'],
  ]);

  // Maintenance now, then the service's check goes DOWN: its alert is muted, the page shows the window.
  await mutateWithDates(admin, 'maintenances.create', {
    title: WINDOW,
    description: '',
    startsAt: new Date(Date.now() - 60_000),
    endsAt: new Date(Date.now() + 30 * 60_000),
    rrule: null,
    timeZone: 'UTC',
    targets: [{ serviceId, environmentId: pro }],
  });
  const firedBefore = hooked.length;
  await call(admin, 'checks.create', {
    service: SERVICE,
    check: {
      kind: 'http',
      name: 'flow probe',
      environmentId: pro,
      intervalSeconds: 10,
      timeoutMs: 2_000,
      failureThreshold: 1,
      config: { url: target.url('/health') },
    },
  });
  await visitor.goto(`/status/${PAGE}`);
  await expect(visitor.getByTestId('status-maintenance-active')).toContainText(WINDOW, { timeout: 30_000 });
  await expect(component).toHaveAttribute('data-status', 'under_maintenance');
  await admin.goto('/notifications?tab=decisions');
  const muted = admin.getByTestId('tick-row').filter({ hasText: 'alertname=flow probe down' }).first();
  await expect(async () => {
    await admin.reload();
    await expect(muted).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await muted.getByRole('button', { name: 'Why', exact: true }).click();
  await expect(admin.getByText(`maintenance ${WINDOW}`)).toBeVisible();
  expect(
    hooked.slice(firedBefore).filter((m) => m.alerts.some((a) => a.labels.alertname === 'flow probe down')),
  ).toHaveLength(0);
});
