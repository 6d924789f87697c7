import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  API_URL,
  allowLoopbackTargets,
  asAdmin,
  createServiceInConsole,
  createUserInConsole,
  firstSignIn,
  localServer,
  trpcFromPage,
} from './helpers';

// Issue 16's acceptance, start to end: a release goes DEV → FAT → UAT → PRO; in PRO a canary of a bad version (5 %
// errors) is aborted by analysis and rolled back on its own while its alert opens an incident naming it; the charts
// carry the markers; the next good release passes every step; /dora counts it all; a viewer can press nothing.
const RUN = Date.now().toString(36);
const SERVICE = `deliv-shop-${RUN}`;
const NAME = `Deliv Shop ${RUN}`;
const ALERT = `DeliveryErrors${RUN}`;
const ENVS = ['DEV', 'FAT', 'UAT', 'PRO'] as const;
const VIEWER = { email: `deliv-viewer-${RUN}@e2e.local`, password: `deliv-viewer-pass-${RUN}` };

/** The route's webhook target; the incident option is what matters here. */
const hook = localServer((req, res) => {
  req.resume();
  req.on('end', () => res.end());
});

async function call(page: Page, path: string, input: unknown, method: 'GET' | 'POST' = 'POST') {
  const r = await trpcFromPage(page, path, input, { method });
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(200);
  return r.json.result.data.json;
}

interface Served {
  version: string;
  share: number;
  track: 'stable' | 'canary';
}

/**
 * The test's deploy tool for PRO: every second it follows `GET /v1/rollouts/<service>/PRO` (ETag), "applies" the
 * desired state to the traffic it simulates, reports it, and pushes `http_requests_total` per version it serves
 * (1,000 requests/s split by weight; 5 % of the bad versions' answers are 5xx).
 */
class DeployTool {
  serving: Served[] = [];
  readonly applied: { version: string; weight: number; state: string }[] = [];
  readonly problems: string[] = [];
  private readonly counters = new Map<string, number>();
  private etag = '';
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly key: string,
    private readonly bad: ReadonlySet<string>,
  ) {}

  private async api(path: string, init: RequestInit = {}) {
    return fetch(`${API_URL}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${this.key}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });
  }

  start() {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          await this.follow();
          await this.push();
        } catch (err) {
          this.problems.push(String(err));
        }
        await new Promise((r) => setTimeout(r, 1_000)); // the tool's own cadence: one push a second
      }
    })();
  }

  async stop() {
    this.stopped = true;
    await this.loop;
  }

  /** A plain (non-canary) deployment the tool carries out: it starts, traffic moves, it succeeded. */
  async deployPlain(page: Page, deploymentId: string, version: string) {
    await call(page, 'deployments.transition', { id: deploymentId, state: 'in_progress' });
    this.serving = [{ version, share: 100, track: 'stable' }];
    await call(page, 'deployments.transition', { id: deploymentId, state: 'succeeded' });
  }

  private async follow() {
    const res = await this.api(`/v1/rollouts/${SERVICE}/PRO`, {
      headers: this.etag ? { 'if-none-match': this.etag } : {},
    });
    if (res.status === 404 || res.status === 304) return; // no rollout yet, or nothing changed
    if (res.status !== 200) {
      this.problems.push(`GET desired: ${res.status} ${await res.text()}`);
      return;
    }
    this.etag = res.headers.get('etag') ?? '';
    const d = (await res.json()) as {
      state: string;
      version: string;
      weight: number;
      stableVersion: string | null;
    };
    const next: Served[] = [];
    if (d.stableVersion && d.stableVersion !== d.version && d.weight < 100)
      next.push({ version: d.stableVersion, share: 100 - d.weight, track: 'stable' });
    if (d.weight > 0)
      next.push({ version: d.version, share: d.weight, track: d.weight === 100 ? 'stable' : 'canary' });
    this.serving = next;
    this.applied.push({ version: d.version, weight: d.weight, state: d.state });
    const reported = await this.api(`/v1/rollouts/${SERVICE}/PRO/status`, {
      method: 'POST',
      body: JSON.stringify({ version: d.version, weight: d.weight }),
    });
    if (reported.status !== 200) this.problems.push(`report: ${reported.status} ${await reported.text()}`);
  }

  private async push() {
    if (this.serving.length === 0) return;
    const ts = Date.now();
    const points = this.serving.flatMap((s) => {
      const total = s.share * 10;
      const errors = this.bad.has(s.version) ? total * 0.05 : 0;
      return (
        [
          ['200', total - errors],
          ['500', errors],
        ] as const
      ).map(([status, n]) => {
        const id = `${s.version}/${s.track}/${status}`;
        const value = (this.counters.get(id) ?? 0) + n;
        this.counters.set(id, value);
        const labels = { service: SERVICE, environment: 'PRO', version: s.version, track: s.track, status };
        return { name: 'http_requests_total', kind: 'counter', labels, ts, value };
      });
    });
    const res = await this.api('/v1/metrics', { method: 'POST', body: JSON.stringify({ points }) });
    if (res.status !== 202) this.problems.push(`push: ${res.status} ${await res.text()}`);
  }
}

/** CI's report over the REST edge, as a non-TypeScript pipeline sends it. */
async function report(key: string, environment: string, version: string, sha: string) {
  const res = await fetch(`${API_URL}/v1/deployments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      service: SERVICE,
      environment,
      version,
      commitSha: sha,
      commits: [{ sha, committedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }],
      state: 'succeeded',
      externalId: `deliv-${RUN}-${version}-${environment}`,
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/**
 * A canary that bakes 25 s at 20 %, then compares the error ratio of canary and stable once (10 s window). The bake
 * lets the 10 s alert rule fire while the canary serves, as a real canary's pause leaves monitoring time to react.
 */
const CANARY = [
  { type: 'setWeight', weight: 20 },
  { type: 'pause', durationSeconds: 25 },
  {
    type: 'analysis',
    template: {
      name: 'error-ratio',
      metrics: [
        {
          name: 'error-ratio',
          query: { kind: 'error_ratio' },
          // Fails when the canary's 5xx share exceeds the stable one's by more than 1 percentage point.
          comparison: { op: 'max_delta', max: 0.01 },
          intervalSeconds: 10,
          count: 1,
        },
      ],
    },
  },
  { type: 'setWeight', weight: 100 },
];

function boardCell(page: Page, env: string) {
  return page
    .locator(`[data-testid="board-row"][data-service="${SERVICE}"]`)
    .locator(`[data-testid="board-cell"][data-env="${env}"]`);
}

async function openBoard(page: Page) {
  await page.goto('/releases');
  await page.getByLabel('Search services').fill(SERVICE);
  await page.getByRole('button', { name: 'Search' }).click();
}

test('a release goes DEV → PRO; a bad canary is aborted and rolled back, its alert opens an incident naming it; the next release passes; DORA counts it; a viewer presses nothing', async ({
  openPage,
}) => {
  test.setTimeout(240_000);
  const admin = await openPage();
  await asAdmin(admin);
  await allowLoopbackTargets(admin);
  await createServiceInConsole(admin, NAME, SERVICE);
  const serviceId = (await call(admin, 'services.get', { id: SERVICE }, 'GET')).service.id as string;
  const { key } = await call(admin, 'apiKeys.create', { name: `deliv ${RUN}`, role: 'maintainer' });
  const tool = new DeployTool(key, new Set(['1.1.0']));

  // 1.0.0 through the chain: CI reports DEV, each next environment is a promotion the deploy tool carries out.
  await report(key, 'DEV', '1.0.0', `a0${RUN}`.slice(0, 12).replace(/[^0-9a-f]/g, 'a'));
  const releaseId = (await call(admin, 'releases.list', { service: SERVICE }, 'GET')).items[0].id as string;
  for (const environment of ['FAT', 'UAT', 'PRO']) {
    const queued = await call(admin, 'deployments.promote', { releaseId, environment });
    if (environment === 'PRO') await tool.deployPlain(admin, queued.id, '1.0.0');
    else {
      await call(admin, 'deployments.transition', { id: queued.id, state: 'in_progress' });
      await call(admin, 'deployments.transition', { id: queued.id, state: 'succeeded' });
    }
  }
  tool.start();
  await openBoard(admin);
  for (const env of ENVS) await expect(boardCell(admin, env).getByTestId('cell-version')).toHaveText('1.0.0');

  // The service's alerts open SEV2 incidents: an error-ratio rule over PRO, routed with the incident option.
  const receiver = await call(admin, 'receivers.create', {
    receiver: {
      name: `Deliv hook ${RUN}`,
      description: '',
      integrations: [
        { kind: 'webhook', sendResolved: true, timeoutMs: 2_000, url: hook.url('/hook'), maxAlerts: 0 },
      ],
    },
  });
  await expect(async () => {
    const { tree, version } = await call(admin, 'routes.get', undefined, 'GET');
    const child = {
      id: `deliv-${RUN}`,
      matchers: [{ label: 'service', op: '=', value: SERVICE }],
      continue: false,
      receiverId: receiver.id,
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
  await call(admin, 'alertRules.create', {
    rule: {
      name: ALERT,
      serviceId,
      condition: {
        kind: 'metric',
        metric: 'http_requests_total',
        fn: 'error_ratio',
        matchers: [
          { label: 'service', op: '=', value: SERVICE },
          { label: 'environment', op: '=', value: 'PRO' },
        ],
        by: ['service', 'environment'],
        // 20 % of traffic at 5 % errors is 1 % overall; 0.2 % is crossed within a few seconds of the canary.
        windowSeconds: 10,
        comparison: '>',
        threshold: 0.002,
      },
      intervalSeconds: 10,
    },
  });

  // The bad 1.1.0 and the good 1.1.1 pass DEV, FAT and UAT as CI reports them.
  for (const [version, sha] of [
    ['1.1.0', 'b1100000'],
    ['1.1.1', 'c1110000'],
  ] as const)
    for (const env of ['DEV', 'FAT', 'UAT']) await report(key, env, version, `${sha}${RUN.length}`);

  // PRO: the canary of 1.1.0 fails its analysis, is aborted and rolled back to 1.0.0 on its own.
  const badId = await call(admin, 'rollouts.start', {
    service: SERVICE,
    environment: 'PRO',
    release: '1.1.0',
    steps: CANARY,
  });
  await expect
    .poll(async () => (await call(admin, 'rollouts.get', { id: badId }, 'GET')).state, { timeout: 90_000 })
    .toBe('rolled_back');
  const bad = await call(admin, 'rollouts.get', { id: badId }, 'GET');
  expect(bad).toMatchObject({
    weight: 0,
    rolledBackTo: { version: '1.0.0' },
    stableRelease: { version: '1.0.0' },
    desired: { version: '1.1.0', weight: 0, stableVersion: '1.0.0' },
  });
  expect(bad.runs).toHaveLength(1);
  expect(bad.runs[0].phase).toBe('failed');
  expect(bad.runs[0].measurements[0]).toMatchObject({ phase: 'failed' });
  expect(bad.runs[0].measurements[0].canary).toBeCloseTo(0.05, 3);
  expect(bad.runs[0].measurements[0].stable).toBe(0);
  // The tool ran 1.1.0 at 20 % and went back to 1.0.0 only.
  expect(tool.applied.map((a) => `${a.version}@${a.weight}`)).toContain('1.1.0@20');
  await expect.poll(() => tool.serving.map((s) => `${s.version}@${s.share}`)).toEqual(['1.0.0@100']);

  // The alert opened a SEV2 incident; its page names the 1.1.0 deployment as the last one before it started.
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
  // It started while the canary served, before the rollback.
  const opened = await call(admin, 'incidents.get', { id: incidentId }, 'GET');
  expect(Date.parse(opened.startedAt)).toBeLessThan(Date.parse(bad.updatedAt));
  await admin.goto(`/incidents/${incidentId}`);
  await expect(admin.getByTestId('incident-severity')).toHaveText('SEV2');
  const last = admin.getByTestId('incident-last-deployment');
  await expect(last).toContainText('Last deployment before this incident started: v1.1.0 to PRO');
  await expect(last).toContainText('now rolled back');

  // The good 1.1.1 passes every step and is promoted; the board shows it in PRO.
  const goodId = await call(admin, 'rollouts.start', {
    service: SERVICE,
    environment: 'PRO',
    release: '1.1.1',
    steps: CANARY,
  });
  await expect
    .poll(async () => (await call(admin, 'rollouts.get', { id: goodId }, 'GET')).state, { timeout: 90_000 })
    .toBe('promoted');
  const good = await call(admin, 'rollouts.get', { id: goodId }, 'GET');
  expect(good).toMatchObject({ weight: 100, stableRelease: { version: '1.1.1' } });
  expect(good.runs.map((r: { phase: string }) => r.phase)).toEqual(['successful']);
  await expect.poll(() => tool.serving.map((s) => `${s.version}@${s.share}`)).toEqual(['1.1.1@100']);
  await tool.stop();
  expect(tool.problems).toEqual([]);

  await openBoard(admin);
  await expect(boardCell(admin, 'PRO').getByTestId('cell-version')).toHaveText('1.1.1');
  await expect(boardCell(admin, 'UAT').getByTestId('cell-version')).toHaveText('1.1.1');

  // The PRO charts draw the deployments as markers; the service page lists them.
  const markers = admin.waitForResponse(
    (r) => r.url().includes('deployments.markers') && r.request().method() === 'GET',
  );
  await admin.goto(`/metrics/${SERVICE}/PRO`);
  const drawn = JSON.stringify(await (await markers).json());
  for (const version of ['1.0.0', '1.1.0', '1.1.1']) expect(drawn).toContain(`"version":"${version}"`);
  await admin.goto(`/services/${SERVICE}`);
  const timeline = admin.getByTestId('deployment-row');
  await expect(timeline.filter({ hasText: '1.1.0' }).filter({ hasText: 'rolled back' })).toHaveCount(1);
  await expect(timeline.filter({ hasText: '1.1.1' }).filter({ hasText: 'PRO' })).toHaveCount(1);

  // DORA, PRO only: 1.0.0, its rollback redeploy and 1.1.1 succeeded; 1.1.0 is the one change failure of four.
  await admin.goto('/dora?days=7');
  const row = admin.getByTestId('dora-service-row').filter({ hasText: NAME });
  await expect(row.getByRole('cell')).toHaveText([
    NAME,
    /^—?$/,
    '3',
    /.*/,
    '25 % (1/4)',
    /insufficient data/,
  ]);

  // A viewer reads the board, the incident and /dora, and finds nothing to press.
  const temporary = await createUserInConsole(admin, VIEWER.email, 'viewer');
  const viewer = await openPage();
  await firstSignIn(viewer, VIEWER.email, temporary, VIEWER.password);
  await openBoard(viewer);
  await expect(boardCell(viewer, 'PRO').getByTestId('cell-version')).toHaveText('1.1.1');
  await expect(
    viewer.locator(`[data-testid="board-row"][data-service="${SERVICE}"]`).getByRole('button'),
  ).toHaveCount(0);
  await viewer.goto(`/incidents/${incidentId}`);
  await expect(viewer.getByTestId('incident-last-deployment')).toContainText('v1.1.0 to PRO');
  await expect(viewer.getByRole('main').getByRole('button')).toHaveCount(0);
  await viewer.goto('/dora?days=7');
  await expect(viewer.getByTestId('dora-service-row').filter({ hasText: NAME })).toBeVisible();
  await expect(viewer.getByRole('main').getByRole('button')).toHaveCount(0);
});
