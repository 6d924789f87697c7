import {
  createSession,
  type Database,
  DEFAULT_ENVIRONMENTS,
  defaultMigrationsFolder,
  ensurePartitions,
  eq,
  hashPassword,
  migrationStatus,
  type Role,
  type RouteNode,
  readJournal,
  schema,
} from '@sextant/db';
import type { Context, Identity } from '../context';
import { type AlertRuleFormInput, alertRuleInput as ruleSchema } from '../schemas/alert-rules';
import type { MaintenanceInput } from '../schemas/maintenances';
import type { StatusPageInput } from '../schemas/status-pages';
import { fingerprint as alertFingerprint } from '../services/alerting/fingerprint';
import { createInhibitionRule } from '../services/alerting/inhibition-store';
import { createRule } from '../services/alerting/rules';
import { createSilence } from '../services/alerting/silence-store';
import { createApiKey } from '../services/api-keys';
import { createCheck } from '../services/checks';
import { reportDeployment } from '../services/deployments';
import { registerInstance } from '../services/discovery';
import { createFlag, setFlagArchived } from '../services/flags/store';
import { createHeartbeat } from '../services/heartbeats';
import { addActionItem } from '../services/incident-action-items';
import { linkDeployment } from '../services/incident-deployments';
import { createIncident } from '../services/incidents';
import { createMaintenance } from '../services/maintenances';
import { ingestBatch } from '../services/metrics/ingest';
import { DEFAULT_SERIES_LIMITS, setLimit } from '../services/metrics/limits';
import { createReceiver } from '../services/notify/receivers';
import { getRouteTree } from '../services/notify/route-store';
import { createTimeInterval } from '../services/notify/time-interval-store';
import { createWorkItem } from '../services/projects/work-items';
import { createScrapeTarget } from '../services/scrape-targets';
import { createService } from '../services/services';
import { createStatusPage } from '../services/status-pages';
import { subscriptionToken } from '../services/subscription-tokens';
import { insertDeadDelivery } from './delivery-fixtures';
import { insertReceiver, insertTick } from './notify-fixtures';
import { fixtureMilestone, fixtureProject, fixtureProjectMember, fixtureShareLink } from './project-fixtures';
import { heldRollout, rollbackableDeployment, seedReleases } from './rollout-fixtures';
import { insertProject } from './work-item-fixtures';

/** A webhook integration input to a host that never resolves (`.invalid`), with a bearer token. */
export const fixtureWebhook = (host: string) => ({
  kind: 'webhook' as const,
  sendResolved: true,
  timeoutMs: 2_000,
  url: `https://${host}.invalid/hook`,
  maxAlerts: 0,
  hmacSecret: null,
  bearerToken: 'fixture-token',
});

/** Every fixture user signs in with this; `me.changePassword` inputs rely on it. */
export const FIXTURE_PASSWORD = 'correct horse battery';

/** Fresh objects for one call, each owned by a user who is not the caller (object-level checks must run). */
export interface Fixtures {
  /** Unique on every call: names, emails and slugs built from it never collide. */
  unique(prefix: string): string;
  environment(): Promise<{ id: string; name: string }>;
  environmentIds(): Promise<string[]>;
  service(): Promise<{ id: string; slug: string }>;
  check(): Promise<{ id: string; serviceId: string }>;
  heartbeat(): Promise<{ id: string; token: string }>;
  scrapeTarget(): Promise<{ id: string }>;
  instance(): Promise<{ id: string }>;
  /** A new metric with one series (labels `{ fixture: 'yes' }`). */
  series(): Promise<{ name: string; labels: Record<string, string> }>;
  /** A metric alert rule over a fresh series; the input is what `alertRules.create` takes. */
  alertRuleInput(): Promise<AlertRuleFormInput>;
  alertRule(): Promise<{ id: string }>;
  /** A series limit override on a new metric name. */
  metricLimit(): Promise<{ scope: 'metric'; key: string }>;
  /** A firing alert of a new metric rule (rows written directly: the engine owns alert instances). */
  alert(): Promise<{ fingerprint: string; ruleId: string }>;
  /** An active silence, an hour long, made by another maintainer. */
  silence(): Promise<{ id: string }>;
  /** A valid maintenances.create input: a weekly window over a new service in an existing environment. */
  maintenanceInput(): Promise<MaintenanceInput>;
  /** A maintenance window made by another maintainer. */
  maintenance(): Promise<{ id: string }>;
  /** An enabled inhibition rule. */
  inhibitionRule(): Promise<{ id: string }>;
  /** A valid statusPages.create input: a public page showing a fresh public service in one environment. */
  statusPageInput(): Promise<StatusPageInput>;
  /** A public status page made by another user. */
  statusPage(): Promise<{ id: string; slug: string }>;
  /** One public page (the same on every call) whose subscriber mail goes through an email integration. */
  mailStatusPage(): Promise<{ id: string; slug: string; integrationId: string }>;
  /** A fresh pending email subscriber of mailStatusPage, with its links' tokens. */
  subscriber(): Promise<{ id: string; pageId: string; confirmToken: string; unsubscribeToken: string }>;
  /** An investigating SEV3 incident affecting a fresh service in one environment, with one public update. */
  incident(): Promise<{ id: string; serviceId: string; environmentId: string }>;
  /** A postmortem action item on a fresh incident. */
  actionItem(): Promise<{ id: string; incidentId: string }>;
  /** A queued deployment of a fresh service's release 1.0.0, reported by CI; and the first environment's name. */
  deployment(): Promise<{ id: string; releaseId: string; service: string; firstEnvironment: string }>;
  /** A fresh service's succeeded 1.1.0 deployment over a succeeded 1.0.0 in one environment, no rollout. */
  rollbackableDeployment(): Promise<{ id: string }>;
  /** A fresh service's rollout of 2.0.0 over a succeeded 1.0.0, paused until promoted (or aborted). */
  rollout(state?: 'paused' | 'aborted'): Promise<{ id: string; service: string; environment: string }>;
  /** A fresh boolean flag (archived when asked) linked to a fresh service; and the first environment's name. */
  flag(archived?: boolean): Promise<{ key: string; environment: string; serviceId: string }>;
  /** A fresh service with 1.0.0 succeeded and 2.0.0 made, and no rollout yet. */
  rolloutReady(): Promise<{ service: string; environment: string }>;
  /** Such a deployment waiting for an approval (as a promotion into an environment requiring one leaves it). */
  pendingDeployment(): Promise<{ id: string }>;
  /** A manual incident ↔ deployment link made by another maintainer. */
  linkDeployment(incidentId: string, deploymentId: string): Promise<void>;
  /** A tick that notified a fresh receiver's webhook about one firing alert, and that message's outbox row. */
  notificationTick(): Promise<{ id: number; fingerprint: string; outboxId: string }>;
  /** A dead-lettered notification delivery. */
  deadDelivery(): Promise<{ id: string }>;
  /** A time interval (weekends) no route names. */
  timeInterval(): Promise<{ id: string; name: string }>;
  /** The saved routing tree and its version, for an update that passes the version check. */
  routeTree(): Promise<{ tree: RouteNode; version: number }>;
  /** A webhook receiver to an unresolvable host, with a bearer token; `integrationId` is its one integration. */
  receiver(): Promise<{ id: string; integrationId: string }>;
  /** A project owned by another maintainer with one linked service (rows written directly: slice A owns projects). */
  progressProject(): Promise<{ id: string }>;
  /** An API key minted by another maintainer. */
  apiKey(): Promise<{ id: string }>;
  /** A project (started 30 days ago, due in 60) made by another maintainer. */
  project(): Promise<{ id: string }>;
  /** A fresh project with one member, a fresh viewer. */
  projectMember(): Promise<{ projectId: string; userId: string }>;
  /** A milestone of a fresh project. */
  milestone(): Promise<{ id: string; projectId: string }>;
  /** A live share link (24 h) of a fresh project, with its token. */
  shareLink(): Promise<{ id: string; projectId: string; token: string }>;

  /** A todo work item of a fresh project, made by another maintainer. */
  workItem(): Promise<{ id: string; projectId: string }>;
  /** Another user with `role`, not signed in. */
  user(role?: Role): Promise<{ id: string; email: string }>;
  /** A live session of another user. */
  session(): Promise<{ id: string; userId: string }>;
}

/**
 * An alert rule row inserted as it is, for tests that need alerts to belong to a rule (its definition unused);
 * rules.ts, which validates and audits, is not under test there.
 */
export async function insertAlertRule(db: Database['primary'], name: string) {
  const [rule] = await db
    .insert(schema.alertRules)
    .values({
      name,
      kind: 'metric',
      intervalSeconds: 60,
      condition: {
        kind: 'metric',
        metric: 'fixture_errors_total',
        fn: 'rate',
        matchers: [],
        by: ['route'],
        windowSeconds: 60,
        comparison: '>',
        threshold: 1,
      },
    })
    .returning();
  return rule!;
}

/** Builds objects through the services themselves, so they are exactly what the API would have stored. */
export async function createFixtures(database: Database): Promise<Fixtures> {
  const db = database.primary;
  await db
    .insert(schema.environments)
    .values([...DEFAULT_ENVIRONMENTS])
    .onConflictDoNothing();
  const now = Date.now();
  await ensurePartitions(database.sql, new Date(now - 3 * 86_400_000), new Date(now + 3 * 86_400_000));
  const passwordHash = await hashPassword(FIXTURE_PASSWORD);
  let n = 0;
  const run = `${process.pid.toString(36)}${now.toString(36)}`;
  const unique = (prefix: string) => `${prefix}-${run}-${++n}`;

  const user = async (role: Role = 'maintainer') => {
    const email = `${unique(role)}@fixture.test`;
    const [row] = await db.insert(schema.users).values({ email, role, passwordHash }).returning();
    return { id: row!.id, email };
  };
  const owner = await user('maintainer');
  const ownerIdentity: Identity = {
    type: 'user',
    userId: owner.id,
    email: owner.email,
    name: null,
    role: 'maintainer',
    sessionId: '00000000-0000-4000-8000-00000000f1f7',
    mustChangePassword: false,
  };
  const journal = readJournal(defaultMigrationsFolder());
  const ctx: Pick<Context, 'db' | 'sql' | 'runtime' | 'identity' | 'requestId' | 'ip'> & {
    identity: Identity;
  } = {
    db,
    sql: database.sql,
    runtime: {
      version: 'fixture',
      startedAt: new Date(),
      checkDatabase: () => migrationStatus(database.sql, journal),
      metricLimits: DEFAULT_SERIES_LIMITS,
    },
    identity: ownerIdentity,
    requestId: 'fixture',
    ip: null,
  };
  const environment = async () => {
    const [env] = await db.select().from(schema.environments).limit(1);
    return { id: env!.id, name: env!.name };
  };
  const service = async () => {
    const row = await createService(ctx, {
      name: unique('Fixture service'),
      tier: 'standard',
      tags: [],
      isPublic: false,
    });
    return { id: row.id, slug: row.slug };
  };

  const series = async () => {
    const name = unique('fixture_series').replaceAll('-', '_');
    const labels = { fixture: 'yes' };
    await ingestBatch(
      database.sql,
      { points: [{ name, labels, ts: Date.now(), value: 1, kind: 'gauge' }], histograms: [] },
      DEFAULT_SERIES_LIMITS,
    );
    return { name, labels };
  };

  const alertRuleInput = async (): Promise<AlertRuleFormInput> => {
    const { name, labels } = await series();
    return {
      name: unique('HighValue'),
      condition: {
        kind: 'metric',
        metric: name,
        fn: 'max',
        matchers: [{ label: 'fixture', op: '=', value: labels.fixture! }],
        windowSeconds: 300,
        comparison: '>',
        threshold: 10,
      },
      annotations: { summary: 'Value is {{ $value }}' },
    };
  };

  const maintenanceInput = async (): Promise<MaintenanceInput> => {
    const startsAt = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000);
    return {
      title: unique('Fixture maintenance'),
      description: '',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
      rrule: 'FREQ=WEEKLY;COUNT=4',
      timeZone: 'Europe/Berlin',
      announceAheadMinutes: 1440,
      targets: [{ serviceId: (await service()).id, environmentId: (await environment()).id }],
    };
  };

  const statusPageInput = async (): Promise<StatusPageInput> => {
    // Only an admin may make a service public.
    const svc = await createService(
      { ...ctx, identity: { ...ctx.identity, role: 'admin' } },
      {
        name: unique('Fixture public service'),
        tier: 'standard',
        tags: [],
        isPublic: true,
      },
    );
    return {
      slug: unique('page'),
      mailIntegrationId: null,
      title: unique('Fixture status'),
      visibility: 'public',
      logoUrl: 'https://example.com/logo.png',
      footer: 'Made by the fixtures.',
      environmentIds: [(await environment()).id],
      components: [{ serviceId: svc.id, group: 'Core' }],
    };
  };

  let mailPage: Promise<{ id: string; slug: string; integrationId: string }> | null = null;
  const mailStatusPage = () => {
    mailPage ??= (async () => {
      const receiver = await createReceiver(ctx, {
        name: unique('mail receiver'),
        description: '',
        integrations: [
          {
            kind: 'email',
            sendResolved: true,
            timeoutMs: 2_000,
            to: ['ops@fixture.test'],
            from: 'status@fixture.test',
            smarthost: { host: `${unique('smtp')}.invalid`, port: 587 },
            requireTls: true,
            username: undefined,
            password: null,
          },
        ],
      });
      const integrationId = receiver.integrations[0]!.id;
      const page = await createStatusPage(ctx, {
        ...(await statusPageInput()),
        mailIntegrationId: integrationId,
      });
      return { id: page.id, slug: page.slug, integrationId };
    })();
    return mailPage;
  };

  const progressProject = async () => {
    const [row] = await db
      .insert(schema.projects)
      .values({ name: unique('Fixture project'), ownerUserId: owner.id, startDate: '2026-01-01' })
      .returning();
    await db.insert(schema.projectServices).values({ projectId: row!.id, serviceId: (await service()).id });
    return { id: row!.id };
  };

  return {
    unique,
    progressProject,
    environment,
    maintenanceInput,
    statusPageInput,
    async statusPage() {
      const row = await createStatusPage(ctx, await statusPageInput());
      return { id: row.id, slug: row.slug };
    },
    mailStatusPage,
    async subscriber() {
      const page = await mailStatusPage();
      const [row] = await db
        .insert(schema.statusPageSubscribers)
        .values({ pageId: page.id, kind: 'email', email: `${unique('subscriber')}@fixture.test` })
        .returning();
      return {
        id: row!.id,
        pageId: page.id,
        confirmToken: subscriptionToken('confirm', row!.id),
        unsubscribeToken: subscriptionToken('unsubscribe', row!.id),
      };
    },
    async maintenance() {
      const row = await createMaintenance(ctx, await maintenanceInput());
      return { id: row.id };
    },
    environmentIds: async () =>
      (await db.select().from(schema.environments).orderBy(schema.environments.position)).map((e) => e.id),
    service,
    async check() {
      const { id: serviceId } = await service();
      const check = await createCheck(ctx, serviceId, {
        kind: 'tcp',
        name: unique('check'),
        environmentId: (await environment()).id,
        intervalSeconds: 60,
        timeoutMs: 1_000,
        failureThreshold: 2,
        successThreshold: 1,
        latencyThresholdMs: null,
        config: { host: 'fixture.invalid', port: 443 },
      });
      return { id: check.id, serviceId };
    },
    async heartbeat() {
      const { id: serviceId } = await service();
      const row = await createHeartbeat(ctx, serviceId, {
        name: unique('heartbeat'),
        environmentId: null,
        periodSeconds: 3_600,
        cron: null,
        timezone: 'UTC',
        graceSeconds: 60,
      });
      return { id: row.id, token: row.token };
    },
    series,
    alertRuleInput,
    async alertRule() {
      const row = await createRule(ctx, ruleSchema.parse(await alertRuleInput()));
      return { id: row.id };
    },
    async metricLimit() {
      const key = unique('fixture_limited').replaceAll('-', '_');
      await setLimit(ctx, { scope: 'metric', key, maxSeries: 500 });
      return { scope: 'metric' as const, key };
    },
    async scrapeTarget() {
      const { id: serviceId } = await service();
      const row = await createScrapeTarget(ctx, serviceId, {
        environmentId: (await environment()).id,
        url: `https://${unique('target')}.invalid/metrics`,
        dropPrefix: null,
        intervalSeconds: 30,
        timeoutMs: 5_000,
        labels: {},
      });
      return { id: row.id };
    },
    async instance() {
      const { slug } = await service();
      const row = await registerInstance(ctx, {
        service: slug,
        environment: (await environment()).name,
        host: 'fixture.invalid',
        port: 8080,
        metadata: {},
        ttlSeconds: 3_600,
      });
      return { id: row.id };
    },
    deadDelivery: () => insertDeadDelivery(database.sql, unique('dead-delivery')),
    async alert() {
      const name = unique('FixtureAlert');
      const rule = await insertAlertRule(db, name);
      const labels = { alertname: name, route: '/x' };
      const fingerprint = alertFingerprint(labels);
      const at = new Date(Date.now() - 600_000);
      await db.insert(schema.alertInstances).values({
        source: 'rule',
        ruleId: rule.id,
        fingerprint,
        labels,
        state: 'firing',
        reason: 'ForElapsed',
        value: 2,
        activeAt: at,
        firedAt: at,
      });
      return { fingerprint, ruleId: rule.id };
    },
    async silence() {
      const row = await createSilence(
        ctx,
        {
          matchers: [{ label: 'alertname', op: '=', value: unique('Fixture') }],
          endsAt: new Date(Date.now() + 3_600_000),
          comment: 'Made by the fixtures.',
        },
        new Date(),
      );
      return { id: row.id };
    },
    async inhibitionRule() {
      const row = await createInhibitionRule(ctx, {
        name: unique('inhibit'),
        sourceMatchers: [{ label: 'alertname', op: '=', value: 'FixtureDown' }],
        targetMatchers: [{ label: 'severity', op: '=', value: 'warning' }],
        equal: ['service'],
      });
      return { id: row.id };
    },
    async incident() {
      const [{ id: serviceId }, { id: environmentId }] = await Promise.all([service(), environment()]);
      const row = await createIncident(ctx, {
        title: unique('Fixture incident'),
        severity: 'SEV3',
        impacts: [{ serviceId, environmentId, impact: 'partial_outage' }],
        update: { body: 'Made by the fixtures.', visibility: 'public' },
      });
      return { id: row.id, serviceId, environmentId };
    },
    async actionItem() {
      const incident = await createIncident(ctx, {
        title: unique('Fixture incident'),
        severity: 'SEV3',
        impacts: [],
      });
      const incidentId = incident.id;
      const row = await addActionItem(ctx, { incidentId, title: unique('Fixture follow-up') });
      return { id: row.id, incidentId };
    },
    async workItem() {
      const { id: projectId } = await insertProject(db, unique('Project'));
      const row = await createWorkItem(ctx, {
        projectId,
        title: unique('Item'),
        estimate: 3,
        status: 'todo',
        milestoneId: null,
        assigneeUserId: null,
        labels: [],
        releaseId: null,
        dueDate: null,
      });
      return { id: row.id, projectId };
    },
    async deployment() {
      const { slug } = await service();
      const [first] = await db
        .select({ name: schema.environments.name })
        .from(schema.environments)
        .orderBy(schema.environments.position)
        .limit(1);
      const row = await reportDeployment(ctx, {
        service: slug,
        environment: (await environment()).name,
        version: '1.0.0',
        state: 'queued',
        externalId: unique('ci'),
      });
      return { id: row.id, releaseId: row.releaseId, service: slug, firstEnvironment: first!.name };
    },
    async flag(archived = false) {
      const serviceId = (await service()).id;
      const { key } = await createFlag(ctx, {
        key: unique('flag'),
        type: 'boolean',
        description: 'Made by the fixtures.',
        owner: null,
        tags: ['fixture'],
        staleAfterDays: 30,
        serviceIds: [serviceId],
      });
      if (archived) await setFlagArchived(ctx, key, true);
      return { key, environment: (await environment()).name, serviceId };
    },
    async rollout(state = 'paused') {
      return heldRollout(ctx, (await service()).slug, (await environment()).name, state);
    },
    async rollbackableDeployment() {
      return rollbackableDeployment(ctx, (await service()).slug, (await environment()).name);
    },
    async rolloutReady() {
      const slug = (await service()).slug;
      const env = (await environment()).name;
      await seedReleases(ctx, slug, env);
      return { service: slug, environment: env };
    },
    async pendingDeployment() {
      const { id } = await (this as Fixtures).deployment();
      // Set directly: making an environment require approval would change every other test's chain.
      await db.update(schema.deployments).set({ approval: 'pending' }).where(eq(schema.deployments.id, id));
      return { id };
    },
    async linkDeployment(incidentId, deploymentId) {
      await linkDeployment(ctx, { incidentId, deploymentId });
    },
    async notificationTick() {
      const name = unique('FixtureNotified');
      const labels = { alertname: name };
      const fingerprint = alertFingerprint(labels);
      const tick = await insertTick(database, {
        target: await insertReceiver(db, unique('receiver')),
        groupLabels: labels,
        tickAt: Date.now() - 60_000,
        firing: [{ fingerprint, labels }],
        notify: true,
        reason: 'first notification',
      });
      return { id: tick.tickId, fingerprint, outboxId: tick.outboxId! };
    },
    async timeInterval() {
      const row = await createTimeInterval(ctx, {
        name: unique('weekend'),
        intervals: [{ weekdays: ['saturday', 'sunday'] }],
      });
      return { id: row.id, name: row.name };
    },
    routeTree: () => getRouteTree(db),
    async receiver() {
      const row = await createReceiver(ctx, {
        name: unique('receiver'),
        description: '',
        integrations: [fixtureWebhook(unique('hook'))],
      });
      return { id: row.id, integrationId: row.integrations[0]!.id };
    },
    async apiKey() {
      const { apiKey } = await createApiKey(ctx, { name: unique('key'), role: 'maintainer' });
      return { id: apiKey.id };
    },
    project: () => fixtureProject(ctx, unique('Project')),
    projectMember: async () => fixtureProjectMember(ctx, unique('Team'), (await user('viewer')).id),
    milestone: () => fixtureMilestone(ctx, unique('Milestone')),
    shareLink: () => fixtureShareLink(ctx, unique('Shared')),
    user,
    async session() {
      const other = await user('viewer');
      const { sessionId } = await createSession(db, { userId: other.id, provider: 'credentials' });
      return { id: sessionId, userId: other.id };
    },
  };
}
