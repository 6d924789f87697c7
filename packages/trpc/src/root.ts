import { alertRulesRouter } from './routers/alert-rules';
import { alertsRouter } from './routers/alerts';
import { apiKeysRouter } from './routers/api-keys';
import { auditRouter } from './routers/audit';
import { cardinalityRouter } from './routers/cardinality';
import { checksRouter } from './routers/checks';
import { deploymentsRouter } from './routers/deployments';
import { discoveryRouter } from './routers/discovery';
import { doraRouter } from './routers/dora';
import { environmentsRouter } from './routers/environments';
import { flagsRouter } from './routers/flags';
import { heartbeatsRouter } from './routers/heartbeats';
import { incidentsRouter } from './routers/incidents';
import { inhibitionRulesRouter } from './routers/inhibition-rules';
import { maintenancesRouter } from './routers/maintenances';
import { meRouter } from './routers/me';
import { metricsRouter } from './routers/metrics';
import { milestonesRouter } from './routers/milestones';
import { notificationsRouter } from './routers/notifications';
import { overviewRouter } from './routers/overview';
import { projectProgressRouter } from './routers/project-progress';
import { projectsRouter } from './routers/projects';
import { receiversRouter } from './routers/receivers';
import { releasesRouter } from './routers/releases';
import { rolloutsRouter } from './routers/rollouts';
import { routesRouter } from './routers/routes';
import { scrapeTargetsRouter } from './routers/scrape-targets';
import { servicesRouter } from './routers/services';
import { settingsRouter } from './routers/settings';
import { silencesRouter } from './routers/silences';
import { statusRouter } from './routers/status';
import { statusPagesRouter } from './routers/status-pages';
import { systemRouter } from './routers/system';
import { timeIntervalsRouter } from './routers/time-intervals';
import { usersRouter } from './routers/users';
import { workItemsRouter } from './routers/work-items';
import { createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  system: systemRouter,
  overview: overviewRouter,
  me: meRouter,
  users: usersRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
  environments: environmentsRouter,
  services: servicesRouter,
  checks: checksRouter,
  flags: flagsRouter,
  heartbeats: heartbeatsRouter,
  discovery: discoveryRouter,
  settings: settingsRouter,
  status: statusRouter,
  statusPages: statusPagesRouter,
  metrics: metricsRouter,
  scrapeTargets: scrapeTargetsRouter,
  cardinality: cardinalityRouter,
  alerts: alertsRouter,
  silences: silencesRouter,
  inhibitionRules: inhibitionRulesRouter,
  alertRules: alertRulesRouter,
  notifications: notificationsRouter,
  routes: routesRouter,
  timeIntervals: timeIntervalsRouter,
  receivers: receiversRouter,
  incidents: incidentsRouter,
  maintenances: maintenancesRouter,
  releases: releasesRouter,
  deployments: deploymentsRouter,
  rollouts: rolloutsRouter,
  dora: doraRouter,
  projects: projectsRouter,
  milestones: milestonesRouter,
  progress: projectProgressRouter,
  workItems: workItemsRouter,
});

export type AppRouter = typeof appRouter;
