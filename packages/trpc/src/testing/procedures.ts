import type { Role } from '@sextant/db';
import { FIXTURE_PASSWORD, type Fixtures, fixtureWebhook } from './fixtures';

/** Builds a valid input for one call, against fresh objects that another user owns. */
export type InputBuilder = (f: Fixtures) => unknown | Promise<unknown>;

/**
 * Who may call a procedure: the expected answer of the RBAC test comes from here, never from the
 * procedure's own declaration. One entry per procedure of the router; the test fails on a missing or extra one.
 */
export interface ProcedureRule {
  /** Lowest role that may call it, or 'public' for anyone (signed in or not). */
  min: Role | 'public';
  /** Only a signed-in person, never an API key; every admin procedure is (requirement 24). */
  sessionOnly?: true;
  /** Still allowed while the user must change a temporary password. */
  duringPasswordChange?: true;
  /** A valid input; omitted when the procedure takes none. */
  input?: InputBuilder;
  /** Object-level rule: the lowest role that may do this to an object someone else owns, when above `min`. */
  othersNeed?: Role;
  /** Field-level rules: a valid input setting a guarded field, and the lowest role that may send it. */
  fields?: Record<string, { needs: Role; input: InputBuilder }>;
}

const HOUR = 3_600_000;

const receiver = (f: Fixtures) => ({
  name: f.unique('receiver'),
  description: 'Made by the RBAC table.',
  integrations: [fixtureWebhook(f.unique('hook'))],
});
const recent = () => ({ from: new Date(Date.now() - HOUR), to: new Date() });
/** `{ id }` of a fresh object made by `make`. */
const byId =
  (make: (f: Fixtures) => Promise<{ id: string }>): InputBuilder =>
  async (f) => ({ id: (await make(f)).id });

const serviceFields = (f: Fixtures) => ({
  name: f.unique('Service'),
  description: 'Made by the RBAC table.',
  owner: 'team-rbac',
  tier: 'standard' as const,
  repositoryUrl: 'https://example.com/repo',
  tags: ['rbac'],
});

const httpCheck = async (f: Fixtures) => ({
  kind: 'http' as const,
  name: f.unique('check'),
  environmentId: (await f.environment()).id,
  intervalSeconds: 60,
  timeoutMs: 2_000,
  config: {
    method: 'GET' as const,
    url: 'https://example.com/health',
    headers: { accept: 'application/json' },
    expectedStatus: [{ from: 200, to: 299 }],
    keyword: 'ok',
  },
});

const scrapeTarget = async (f: Fixtures) => ({
  environmentId: (await f.environment()).id,
  url: `https://${f.unique('scrape')}.invalid/metrics`,
  intervalSeconds: 30,
  timeoutMs: 5_000,
  labels: { team: 'rbac' },
});

const silence = (f: Fixtures) => ({
  matchers: [
    { label: 'alertname', op: '=' as const, value: f.unique('RbacAlert') },
    { label: 'env', op: '=~' as const, value: 'prod|staging' },
  ],
  endsAt: new Date(Date.now() + 3_600_000),
  comment: 'Made by the RBAC table.',
});

const timeInterval = (f: Fixtures) => ({
  name: f.unique('office'),
  intervals: [
    { times: [{ start: '09:00', end: '17:00' }], weekdays: ['monday:friday'], location: 'Europe/Berlin' },
  ],
});

const inhibitionRule = (f: Fixtures) => ({
  name: f.unique('inhibit'),
  sourceMatchers: [{ label: 'alertname', op: '=' as const, value: 'RbacDown' }],
  targetMatchers: [{ label: 'severity', op: '!=' as const, value: 'critical' }],
  equal: ['service', 'zone'],
});

const heartbeat = (f: Fixtures) => ({ name: f.unique('heartbeat'), periodSeconds: 600, graceSeconds: 60 });

export const PROCEDURES: Record<string, ProcedureRule> = {
  'system.info': { min: 'public' },
  'overview.get': { min: 'viewer' },
  'status.get': { min: 'public' },

  'me.get': { min: 'viewer', duringPasswordChange: true },
  'me.changePassword': {
    min: 'viewer',
    sessionOnly: true,
    duringPasswordChange: true,
    input: () => ({ currentPassword: FIXTURE_PASSWORD, newPassword: 'a different horse battery 42' }),
  },

  'users.list': { min: 'admin', sessionOnly: true },
  'users.directory': { min: 'viewer', sessionOnly: true },
  'users.create': {
    min: 'admin',
    sessionOnly: true,
    input: (f) => ({ email: `${f.unique('new')}@fixture.test`, name: 'New Person', role: 'viewer' }),
  },
  'users.update': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ id: (await f.user('viewer')).id, name: 'Renamed', role: 'maintainer' }),
  },
  'users.resetPassword': { min: 'admin', sessionOnly: true, input: byId((f) => f.user('viewer')) },
  'users.delete': { min: 'admin', sessionOnly: true, input: byId((f) => f.user('viewer')) },
  'users.sessions': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ id: (await f.session()).userId }),
  },
  'users.endSession': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ sessionId: (await f.session()).id }),
  },

  'apiKeys.list': { min: 'maintainer' },
  'apiKeys.create': {
    min: 'maintainer',
    sessionOnly: true,
    input: (f) => ({ name: f.unique('key'), role: 'viewer', expiresAt: new Date(Date.now() + 86_400_000) }),
  },
  'apiKeys.revoke': { min: 'maintainer', othersNeed: 'admin', input: byId((f) => f.apiKey()) },

  'audit.list': {
    min: 'admin',
    sessionOnly: true,
    input: () => ({ action: 'service.create', ...recent(), limit: 10 }),
  },
  'audit.actions': { min: 'admin', sessionOnly: true },

  'environments.list': { min: 'viewer' },
  'environments.create': {
    min: 'admin',
    sessionOnly: true,
    input: (f) => ({ name: f.unique('ENV'), isProduction: false }),
  },
  'environments.update': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ id: (await f.environment()).id, isProduction: true }),
  },
  'environments.reorder': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ ids: (await f.environmentIds()).reverse() }),
  },

  'services.list': {
    min: 'viewer',
    input: () => ({ search: 'Fixture', tier: 'standard', page: 1, pageSize: 10 }),
  },
  'services.get': { min: 'viewer', input: async (f) => ({ id: (await f.service()).slug }) },
  'services.latency': {
    min: 'viewer',
    input: async (f) => ({ id: (await f.check()).serviceId, range: '24h' }),
  },
  'services.uptime': {
    min: 'viewer',
    input: async (f) => ({ id: (await f.service()).id, month: '2026-01' }),
  },
  'services.create': {
    min: 'maintainer',
    input: (f) => serviceFields(f),
    fields: { isPublic: { needs: 'admin', input: (f) => ({ ...serviceFields(f), isPublic: true }) } },
  },
  'services.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.service()).id, patch: { description: 'Updated.', tags: ['x'] } }),
    fields: {
      isPublic: {
        needs: 'admin',
        input: async (f) => ({ id: (await f.service()).slug, patch: { isPublic: true } }),
      },
    },
  },
  'services.delete': { min: 'maintainer', input: async (f) => ({ id: (await f.service()).slug }) },

  'checks.uptime': { min: 'viewer', input: byId((f) => f.check()) },
  'checks.create': {
    min: 'maintainer',
    input: async (f) => ({ service: (await f.service()).slug, check: await httpCheck(f) }),
  },
  'checks.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.check()).id, check: await httpCheck(f) }),
  },
  'checks.setPaused': { min: 'maintainer', input: async (f) => ({ id: (await f.check()).id, paused: true }) },
  'checks.delete': { min: 'maintainer', input: byId((f) => f.check()) },

  'heartbeats.create': {
    min: 'maintainer',
    input: async (f) => ({ service: (await f.service()).slug, heartbeat: heartbeat(f) }),
  },
  'heartbeats.update': {
    min: 'maintainer',
    input: async (f) => ({
      id: (await f.heartbeat()).id,
      // A patch: switching from the fixture's period to a cron clears the period.
      heartbeat: {
        name: f.unique('nightly'),
        periodSeconds: null,
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        graceSeconds: 600,
      },
    }),
  },
  'heartbeats.setPaused': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.heartbeat()).id, paused: true }),
  },
  'heartbeats.delete': { min: 'maintainer', input: byId((f) => f.heartbeat()) },
  'heartbeats.rotateToken': { min: 'maintainer', input: byId((f) => f.heartbeat()) },

  'discovery.register': {
    min: 'maintainer',
    input: async (f) => ({
      service: (await f.service()).slug,
      environment: (await f.environment()).name,
      host: '10.0.0.7',
      port: 8080,
      version: '1.2.3',
      metadata: { zone: 'a' },
      ttlSeconds: 60,
    }),
  },
  'discovery.heartbeat': { min: 'maintainer', input: byId((f) => f.instance()) },
  'discovery.deregister': { min: 'maintainer', input: byId((f) => f.instance()) },
  'discovery.list': { min: 'viewer', input: async (f) => ({ service: (await f.service()).slug }) },

  'settings.outbound': { min: 'admin', sessionOnly: true },
  'settings.setOutbound': {
    min: 'admin',
    sessionOnly: true,
    input: () => ({ deny: ['192.0.2.0/24'], allow: ['10.0.0.0/8', '127.0.0.1:9999'] }),
  },

  'metrics.push': {
    min: 'maintainer',
    input: () => ({
      points: [
        { name: 'rbac_requests_total', labels: { route: '/x' }, ts: Date.now(), value: 1, kind: 'counter' },
      ],
      histograms: [
        {
          name: 'rbac_latency_seconds',
          labels: {},
          ts: Date.now(),
          buckets: [
            { le: 0.1, count: 1 },
            { le: '+Inf', count: 2 },
          ],
          sum: 0.3,
          count: 2,
        },
      ],
    }),
  },
  'metrics.query': {
    min: 'viewer',
    input: () => ({
      selector: { name: 'rbac_requests_total', matchers: [{ label: 'route', op: '=', value: '/x' }] },
      ...recent(),
      step: 60,
      fn: 'rate',
    }),
  },
  'metrics.fleet': { min: 'viewer', input: () => recent() },
  'cardinality.overview': { min: 'admin', sessionOnly: true },
  'cardinality.labels': { min: 'admin', sessionOnly: true, input: () => ({ name: 'http_requests_total' }) },
  'cardinality.previewDelete': { min: 'admin', sessionOnly: true, input: (f) => f.series() },
  'cardinality.deleteSeries': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ ...(await f.series()), expected: 1 }),
  },
  'cardinality.setLimit': {
    min: 'admin',
    sessionOnly: true,
    input: () => ({ scope: 'metric', key: 'rbac_limited_total', maxSeries: 500 }),
  },
  'cardinality.clearLimit': {
    min: 'admin',
    sessionOnly: true,
    input: (f) => f.metricLimit(),
  },

  'alerts.list': {
    min: 'viewer',
    input: () => ({ state: ['firing', 'pending'], severity: 'page', text: 'api', limit: 20 }),
  },
  'alerts.get': { min: 'viewer', input: (f) => f.alert() },
  'alerts.chart': { min: 'viewer', input: async (f) => ({ ...(await f.alert()), ...recent() }) },
  'alerts.forService': { min: 'viewer', input: async (f) => ({ service: (await f.service()).slug }) },

  'scrapeTargets.list': { min: 'viewer', input: async (f) => ({ service: (await f.service()).slug }) },
  'scrapeTargets.create': {
    min: 'maintainer',
    input: async (f) => ({ service: (await f.service()).slug, target: await scrapeTarget(f) }),
  },
  'scrapeTargets.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.scrapeTarget()).id, target: await scrapeTarget(f) }),
  },
  'scrapeTargets.setPaused': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.scrapeTarget()).id, paused: true }),
  },
  'scrapeTargets.delete': { min: 'maintainer', input: byId((f) => f.scrapeTarget()) },

  'alertRules.list': { min: 'viewer', input: () => ({}) },
  'alertRules.get': { min: 'viewer', input: byId((f) => f.alertRule()) },
  'alertRules.create': { min: 'maintainer', input: async (f) => ({ rule: await f.alertRuleInput() }) },
  'alertRules.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.alertRule()).id, rule: await f.alertRuleInput() }),
  },
  'alertRules.setEnabled': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.alertRule()).id, enabled: false }),
  },
  'alertRules.delete': { min: 'maintainer', input: byId((f) => f.alertRule()) },
  'alertRules.evaluateNow': {
    min: 'maintainer',
    input: async (f) => ({ id: null, rule: await f.alertRuleInput() }),
  },
  'incidents.list': { min: 'viewer', input: () => ({ state: 'open', severity: ['SEV3'], limit: 10 }) },
  'incidents.get': { min: 'viewer', input: byId((f) => f.incident()) },
  'incidents.stats': { min: 'viewer', input: () => ({ days: 7 }) },
  'incidents.create': {
    min: 'maintainer',
    input: async (f) => ({
      title: f.unique('RBAC incident'),
      severity: 'SEV2',
      impacts: [
        {
          serviceId: (await f.service()).id,
          environmentId: (await f.environment()).id,
          impact: 'major_outage',
        },
      ],
      update: { body: 'Made by the RBAC table.', visibility: 'internal' },
    }),
  },
  'incidents.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.incident()).id, incident: { severity: 'SEV1' } }),
  },
  'incidents.transition': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.incident()).id, status: 'identified' }),
  },
  'incidents.acknowledge': { min: 'maintainer', input: byId((f) => f.incident()) },
  'incidents.postUpdate': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.incident()).id, body: 'Still looking.', visibility: 'public' }),
  },
  'incidents.addActionItem': {
    min: 'maintainer',
    input: async (f) => ({
      incidentId: (await f.incident()).id,
      title: 'Add a runbook.',
      dueOn: '2030-01-31',
    }),
  },
  'incidents.updateActionItem': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.actionItem()).id, patch: { done: true } }),
  },
  'incidents.removeActionItem': { min: 'maintainer', input: byId((f) => f.actionItem()) },
  'incidents.setImpacts': {
    min: 'maintainer',
    input: async (f) => {
      const { id, serviceId, environmentId } = await f.incident();
      return { id, impacts: [{ serviceId, environmentId, impact: 'degraded_performance' }] };
    },
  },

  'incidents.linkDeployment': {
    min: 'maintainer',
    input: async (f) => ({ incidentId: (await f.incident()).id, deploymentId: (await f.deployment()).id }),
  },
  'incidents.unlinkDeployment': {
    min: 'maintainer',
    input: async (f) => {
      const [incident, deployment] = await Promise.all([f.incident(), f.deployment()]);
      await f.linkDeployment(incident.id, deployment.id);
      return { incidentId: incident.id, deploymentId: deployment.id };
    },
  },
  'dora.get': { min: 'viewer', input: async (f) => ({ service: (await f.deployment()).service, days: 30 }) },
  'dora.overview': { min: 'viewer', input: () => ({ days: 7 }) },

  // Stakeholder dashboards: every role reads (requirement 17).
  'progress.project': { min: 'viewer', input: async (f) => ({ projectId: (await f.progressProject()).id }) },
  'progress.portfolio': { min: 'viewer' },
  // A share link opens one project's dashboard to anyone holding its token, signed in or not.
  'progress.shared': { min: 'public', input: async (f) => ({ token: (await f.shareLink()).token }) },

  'deployments.report': {
    min: 'maintainer',
    input: async (f) => ({
      service: (await f.service()).slug,
      environment: (await f.environment()).name,
      version: '2.0.0',
      commitSha: 'abc1234',
      state: 'in_progress',
      externalId: f.unique('ci'),
    }),
  },
  'deployments.transition': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.deployment()).id, state: 'in_progress' }),
  },
  'deployments.promote': {
    min: 'maintainer',
    input: async (f) => {
      const { releaseId, firstEnvironment } = await f.deployment();
      return { releaseId, environment: firstEnvironment };
    },
  },
  'deployments.approve': {
    min: 'maintainer',
    sessionOnly: true,
    input: byId((f) => f.pendingDeployment()),
  },
  'deployments.markers': {
    min: 'viewer',
    input: async (f) => ({ service: (await f.deployment()).service, ...recent() }),
  },
  'deployments.timeline': {
    min: 'viewer',
    input: async (f) => ({ service: (await f.deployment()).service }),
  },
  'deployments.list': {
    min: 'viewer',
    input: async (f) => ({ environment: (await f.environment()).name, limit: 10 }),
  },
  'deployments.get': { min: 'viewer', input: byId((f) => f.deployment()) },
  'deployments.rollback': {
    min: 'maintainer',
    input: async (f) => ({ deploymentId: (await f.rollbackableDeployment()).id }),
  },
  'deployments.rollbackTarget': {
    min: 'viewer',
    input: async (f) => ({ deploymentId: (await f.deployment()).id }),
  },
  'releases.list': { min: 'viewer', input: async (f) => ({ service: (await f.deployment()).service }) },
  'releases.get': { min: 'viewer', input: async (f) => ({ id: (await f.deployment()).releaseId }) },
  'releases.board': { min: 'viewer', input: () => ({ limit: 5 }) },

  'rollouts.start': {
    min: 'maintainer',
    input: async (f) => ({
      ...(await f.rolloutReady()),
      release: '2.0.0',
      steps: [{ type: 'setWeight', weight: 10 }],
    }),
  },
  'rollouts.get': { min: 'viewer', input: byId((f) => f.rollout()) },
  'rollouts.list': { min: 'viewer', input: async (f) => ({ service: (await f.rollout()).service }) },
  'rollouts.promote': { min: 'maintainer', input: byId((f) => f.rollout()) },
  'rollouts.promoteFull': { min: 'maintainer', input: byId((f) => f.rollout()) },
  'rollouts.abort': { min: 'maintainer', input: byId((f) => f.rollout()) },
  'rollouts.retry': { min: 'maintainer', input: byId((f) => f.rollout('aborted')) },
  'rollouts.rollback': { min: 'maintainer', input: byId((f) => f.rollout()) },
  'rollouts.desired': {
    min: 'viewer',
    input: async (f) => {
      const { service, environment } = await f.rollout();
      return { service, environment };
    },
  },
  'rollouts.report': {
    min: 'maintainer',
    input: async (f) => {
      const { service, environment } = await f.rollout();
      return { service, environment, version: '1.0.0', weight: 0 };
    },
  },

  'flags.list': { min: 'viewer', input: () => ({ tag: 'fixture', search: 'flag' }) },
  'flags.get': { min: 'viewer', input: async (f) => ({ key: (await f.flag()).key }) },
  'flags.staleReport': { min: 'viewer' },
  'flags.changes': {
    min: 'viewer',
    input: async (f) => ({ serviceId: (await f.flag()).serviceId, ...recent() }),
  },
  'flags.forServices': {
    min: 'viewer',
    input: async (f) => ({ services: [(await f.flag()).serviceId], before: new Date() }),
  },
  'flags.evaluate': {
    min: 'viewer',
    input: async (f) => {
      const { key, environment } = await f.flag();
      return { flagKey: key, environment, defaultValue: false, context: { userId: '174' } };
    },
  },
  'flags.evaluationCounts': {
    min: 'viewer',
    input: async (f) => ({ flagKey: (await f.flag()).key, hours: 24 }),
  },
  'flags.create': {
    min: 'maintainer',
    input: async (f) => ({ key: f.unique('flag'), type: 'boolean', serviceIds: [(await f.service()).id] }),
  },
  'flags.update': {
    min: 'maintainer',
    input: async (f) => ({ key: (await f.flag()).key, description: 'Changed by the RBAC table.' }),
  },
  'flags.setEnvironment': {
    min: 'maintainer',
    input: async (f) => ({
      ...(await f.flag()),
      enabled: true,
      strategies: [{ type: 'gradualRollout', percentage: 20 }],
    }),
  },
  'flags.toggle': { min: 'maintainer', input: async (f) => ({ ...(await f.flag()), enabled: true }) },
  'flags.kill': { min: 'maintainer', input: async (f) => await f.flag() },
  'flags.archive': { min: 'maintainer', input: async (f) => ({ key: (await f.flag()).key }) },
  'flags.unarchive': { min: 'maintainer', input: async (f) => ({ key: (await f.flag(true)).key }) },
  'flags.delete': { min: 'maintainer', input: async (f) => ({ key: (await f.flag(true)).key }) },
  'flags.linkServices': {
    min: 'maintainer',
    input: async (f) => ({ key: (await f.flag()).key, serviceIds: [(await f.service()).id] }),
  },

  'silences.list': { min: 'viewer', input: () => ({ state: 'active', matcher: 'alertname' }) },
  'silences.get': { min: 'viewer', input: byId((f) => f.silence()) },
  'silences.preview': { min: 'viewer', input: (f) => ({ matchers: silence(f).matchers }) },
  'silences.create': { min: 'maintainer', input: (f) => silence(f) },
  'silences.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.silence()).id, silence: silence(f) }),
  },
  'silences.expire': { min: 'maintainer', input: byId((f) => f.silence()) },

  'inhibitionRules.list': { min: 'viewer' },
  'inhibitionRules.create': { min: 'maintainer', input: (f) => inhibitionRule(f) },
  'inhibitionRules.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.inhibitionRule()).id, rule: inhibitionRule(f) }),
  },
  'inhibitionRules.setEnabled': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.inhibitionRule()).id, enabled: false }),
  },
  'inhibitionRules.delete': { min: 'maintainer', input: byId((f) => f.inhibitionRule()) },

  'notifications.ticks': {
    min: 'viewer',
    input: async (f) => ({ fingerprint: (await f.notificationTick()).fingerprint, decision: 'notified' }),
  },
  'notifications.tick': { min: 'viewer', input: async (f) => ({ id: (await f.notificationTick()).id }) },
  'notifications.deliveries': { min: 'viewer', input: () => ({ state: 'dead', limit: 20 }) },
  'notifications.delivery': {
    min: 'viewer',
    input: async (f) => ({ id: (await f.notificationTick()).outboxId }),
  },
  'notifications.forAlert': {
    min: 'viewer',
    input: async (f) => ({ fingerprint: (await f.notificationTick()).fingerprint }),
  },
  'notifications.retry': { min: 'maintainer', input: byId((f) => f.deadDelivery()) },
  'routes.get': { min: 'viewer' },
  'routes.update': {
    min: 'maintainer',
    input: async (f) => {
      const { tree, version } = await f.routeTree();
      return { tree, expectedVersion: version };
    },
  },
  'routes.test': { min: 'viewer', input: () => ({ labels: { team: 'db' } }) },
  'timeIntervals.list': { min: 'viewer' },
  'timeIntervals.get': { min: 'viewer', input: byId((f) => f.timeInterval()) },
  'timeIntervals.create': { min: 'maintainer', input: (f) => timeInterval(f) },
  'timeIntervals.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.timeInterval()).id, interval: timeInterval(f) }),
  },
  'timeIntervals.delete': { min: 'maintainer', input: byId((f) => f.timeInterval()) },

  'receivers.list': { min: 'viewer' },
  'receivers.get': { min: 'viewer', input: byId((f) => f.receiver()) },
  'receivers.create': { min: 'maintainer', input: (f) => ({ receiver: receiver(f) }) },
  'receivers.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.receiver()).id, receiver: receiver(f) }),
  },
  'receivers.delete': { min: 'maintainer', input: byId((f) => f.receiver()) },
  'receivers.test': {
    min: 'maintainer',
    input: async (f) => ({ integrationId: (await f.receiver()).integrationId }),
  },

  'maintenances.list': { min: 'viewer', input: () => ({ state: 'upcoming' }) },
  'maintenances.get': { min: 'viewer', input: byId((f) => f.maintenance()) },
  'maintenances.preview': {
    min: 'maintainer',
    input: async (f) => {
      const { startsAt, endsAt, rrule, timeZone } = await f.maintenanceInput();
      return { startsAt, endsAt, rrule, timeZone };
    },
  },
  'maintenances.create': { min: 'maintainer', input: (f) => f.maintenanceInput() },
  'maintenances.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.maintenance()).id, maintenance: { title: f.unique('Renamed') } }),
  },
  'maintenances.cancel': { min: 'maintainer', input: byId((f) => f.maintenance()) },

  'statusPages.list': { min: 'viewer' },
  'statusPages.get': { min: 'viewer', input: byId((f) => f.statusPage()) },
  'statusPages.create': { min: 'admin', sessionOnly: true, input: (f) => f.statusPageInput() },
  'statusPages.update': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ id: (await f.statusPage()).id, page: { title: f.unique('Renamed') } }),
  },
  'statusPages.delete': { min: 'admin', sessionOnly: true, input: byId((f) => f.statusPage()) },
  // A public page: anyone may read it (a private one needs sign-in; tested in test/status-pages).
  'statusPages.view': { min: 'public', input: async (f) => ({ slug: (await f.statusPage()).slug }) },
  // One page and one address for every caller: the per-IP limit counts new subscribers, and all callers share an IP.
  'statusPages.subscribe': {
    min: 'public',
    input: async (f) => ({ slug: (await f.mailStatusPage()).slug, email: 'rbac-subscriber@fixture.test' }),
  },
  'statusPages.confirmSubscription': {
    min: 'public',
    input: async (f) => ({ token: (await f.subscriber()).confirmToken }),
  },
  'statusPages.unsubscribe': {
    min: 'public',
    input: async (f) => ({ token: (await f.subscriber()).unsubscribeToken }),
  },
  'statusPages.subscribers': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({ pageId: (await f.mailStatusPage()).id }),
  },
  'statusPages.addWebhookSubscriber': {
    min: 'admin',
    sessionOnly: true,
    input: async (f) => ({
      pageId: (await f.statusPage()).id,
      url: `https://${f.unique('hook')}.invalid/status`,
    }),
  },
  'statusPages.removeSubscriber': { min: 'admin', sessionOnly: true, input: byId((f) => f.subscriber()) },

  // Projects and milestones (issue 17 point 1): viewers read, every write needs a maintainer (requirement 17).
  'projects.list': { min: 'viewer', input: () => ({ includeArchived: true }) },
  'projects.get': { min: 'viewer', input: byId((f) => f.project()) },
  'projects.create': {
    min: 'maintainer',
    input: (f) => ({ name: f.unique('Project'), startDate: '2026-01-05' }),
  },
  'projects.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.project()).id, project: { stallDays: 10 } }),
  },
  'projects.archive': { min: 'maintainer', input: byId((f) => f.project()) },
  'projects.unarchive': { min: 'maintainer', input: byId((f) => f.project()) },
  'projects.delete': { min: 'admin', sessionOnly: true, input: byId((f) => f.project()) },
  'projects.setMembers': {
    min: 'maintainer',
    input: async (f) => ({
      projectId: (await f.project()).id,
      members: [{ userId: (await f.user('viewer')).id, digest: true }],
    }),
  },
  'projects.addMember': {
    min: 'maintainer',
    input: async (f) => ({ projectId: (await f.project()).id, userId: (await f.user('viewer')).id }),
  },
  'projects.removeMember': {
    min: 'maintainer',
    input: (f) => f.projectMember(),
  },
  'projects.setServices': {
    min: 'maintainer',
    input: async (f) => ({ projectId: (await f.project()).id, serviceIds: [(await f.service()).id] }),
  },
  'projects.subscribe': {
    min: 'viewer',
    sessionOnly: true,
    input: async (f) => ({ projectId: (await f.project()).id }),
  },
  'projects.unsubscribe': {
    min: 'viewer',
    sessionOnly: true,
    input: async (f) => ({ projectId: (await f.project()).id }),
  },
  'projects.addUpdate': {
    min: 'maintainer',
    input: async (f) => ({ projectId: (await f.project()).id, health: 'at_risk', note: 'Vendor is late.' }),
  },
  'projects.listUpdates': { min: 'viewer', input: async (f) => ({ projectId: (await f.project()).id }) },
  'projects.shareLinks.list': {
    min: 'maintainer',
    input: async (f) => ({ projectId: (await f.project()).id }),
  },
  'projects.shareLinks.create': {
    min: 'maintainer',
    input: async (f) => ({ projectId: (await f.project()).id, label: 'Board', expiresInHours: 24 }),
  },
  'projects.shareLinks.revoke': { min: 'maintainer', input: byId((f) => f.shareLink()) },
  'milestones.list': { min: 'viewer', input: async (f) => ({ projectId: (await f.project()).id }) },
  'milestones.create': {
    min: 'maintainer',
    input: async (f) => ({ projectId: (await f.project()).id, milestone: { name: 'Beta', dueDate: null } }),
  },
  'milestones.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.milestone()).id, milestone: { name: 'Renamed' } }),
  },
  'milestones.reorder': {
    min: 'maintainer',
    input: async (f) => {
      const m = await f.milestone();
      return { projectId: m.projectId, ids: [m.id] };
    },
  },
  'milestones.delete': { min: 'maintainer', input: byId((f) => f.milestone()) },
  'workItems.list': { min: 'viewer', input: async (f) => ({ projectId: (await f.workItem()).projectId }) },
  'workItems.get': { min: 'viewer', input: byId((f) => f.workItem()) },
  'workItems.create': {
    min: 'maintainer',
    input: async (f) => ({ projectId: (await f.workItem()).projectId, title: f.unique('Item'), estimate: 2 }),
  },
  'workItems.update': {
    min: 'maintainer',
    input: async (f) => ({ id: (await f.workItem()).id, patch: { status: 'in_progress' } }),
  },
  'workItems.delete': { min: 'maintainer', input: byId((f) => f.workItem()) },
  'workItems.setStatus': {
    min: 'maintainer',
    input: async (f) => {
      const item = await f.workItem();
      return { projectId: item.projectId, ids: [item.id], status: 'done' };
    },
  },
  'workItems.importPreview': {
    min: 'maintainer',
    input: async (f) => ({
      projectId: (await f.workItem()).projectId,
      format: 'csv',
      content: 'title\nOne\n',
    }),
  },
  'workItems.import': {
    min: 'maintainer',
    input: async (f) => ({
      projectId: (await f.workItem()).projectId,
      format: 'csv',
      content: 'title\nOne\n',
    }),
  },
  'workItems.exportCsv': {
    min: 'viewer',
    input: async (f) => ({ projectId: (await f.workItem()).projectId }),
  },
};
