import type { Sql } from '@sextant/db';
import {
  activeRuleAlerts,
  breakerStates,
  deadLetterCount,
  ruleEvaluationStats,
  type TickResult,
} from '@sextant/trpc';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import { withTimeout } from './timeout';

export interface Metrics {
  registry: Registry;
  observeRequest(labels: { procedure: string; method: string; status: number }, seconds: number): void;
  /** A check run by this instance: its outcome and how late it started against its slot. */
  observeCheckRun(ok: boolean, lagSeconds: number): void;
  /** A scrape by this instance: its outcome and how long the fetch took. */
  observeScrape(ok: boolean, seconds: number): void;
  /** An alert rule evaluation by this instance: how late it started against its slot, and how long it took. */
  observeRuleEvaluation(lagSeconds: number, seconds: number): void;
  /** A notification attempt by this instance: how it completed, and for a delivery the time from its tick. */
  observeDelivery(result: string, tickToDeliverySeconds: number | null): void;
  /** A notification group's tick flushed by this instance: how late against its schedule, and each decision. */
  observeNotifyTick(tick: TickResult): void;
}

/** Bounds on what the alerting series read at scrape time, so a storm of alerts cannot blow up a scrape. */
export const ALERT_METRIC_LIMITS = { alerts: 1_000, rules: 200 } as const;

/**
 * Prometheus' ALERTS{alertname, alertstate, ...labels} = 1 per pending or firing rule alert (spec A2.9), and each
 * rule's current evaluation lag and last duration, read from Postgres at scrape time (any instance answers the same).
 */
function alertMetrics(registry: Registry, sql: Sql) {
  const read = <T>(q: Promise<T[]>) => withTimeout(q, 1_000, 'alert metrics').catch((): T[] => []);
  const help = 'Pending and firing rule alerts (1 per alert; at most 1000)';
  registry.registerMetric({
    name: 'ALERTS',
    help,
    type: 'gauge',
    aggregator: 'sum',
    async get() {
      const alerts = await read(activeRuleAlerts(sql, ALERT_METRIC_LIMITS.alerts));
      const values = alerts.map((a) => ({ labels: { ...a.labels, alertstate: a.state }, value: 1 }));
      return { name: 'ALERTS', help, type: 'gauge', aggregator: 'sum', values };
    },
    reset() {},
  } as unknown as Metric);
  // One read per scrape shared by both per-rule gauges.
  let stats: { at: number; rows: ReturnType<typeof ruleEvaluationStats> } | null = null;
  const ruleStats = () => {
    if (!stats || Date.now() - stats.at > 250)
      stats = { at: Date.now(), rows: ruleEvaluationStats(sql, Date.now(), ALERT_METRIC_LIMITS.rules) };
    return read(stats.rows);
  };
  const perRule = (
    name: string,
    text: string,
    pick: (r: Awaited<ReturnType<typeof ruleStats>>[number]) => number | null,
  ) =>
    new Gauge({
      name,
      help: text,
      labelNames: ['rule', 'rule_id'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await ruleStats()) {
          const v = pick(r);
          if (v !== null) this.set({ rule: r.name, rule_id: r.ruleId }, v);
        }
      },
    });
  perRule(
    'sextant_alert_rule_evaluation_lag_seconds',
    'How far each alert rule is behind its due slot now (the most lagging 200 rules)',
    (r) => r.lagSeconds,
  );
  perRule(
    'sextant_alert_rule_evaluation_duration_seconds',
    "How long each alert rule's last evaluation took (the most lagging 200 rules)",
    (r) => r.durationSeconds,
  );
  const lag = new Histogram({
    name: 'sextant_alert_evaluation_lag_seconds',
    help: 'How late alert rule evaluations by this instance started against their slot',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'sextant_alert_evaluation_seconds',
    help: 'How long alert rule evaluations by this instance took (the condition query)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (lagSeconds: number, seconds: number) => {
    lag.observe(Math.max(0, lagSeconds));
    duration.observe(seconds);
  };
}

/** Deliveries by outcome and tick-to-delivery latency here; dead letters and breakers read from Postgres. */
function deliveryMetrics(registry: Registry, sql: Sql) {
  const read = <T>(q: Promise<T>, empty: T) => withTimeout(q, 1_000, 'notify metrics').catch(() => empty);
  new Gauge({
    name: 'sextant_notification_dead_letters',
    help: 'Notifications dead-lettered (permanent error or max age) and not retried',
    registers: [registry],
    async collect() {
      this.set(await read(deadLetterCount(sql), 0));
    },
  });
  new Gauge({
    name: 'sextant_notification_endpoint_breakers',
    help: 'Notification endpoints by circuit breaker state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const state of ['closed', 'open', 'half_open']) this.set({ state }, 0);
      for (const r of await read(breakerStates(sql), [])) this.set({ state: r.state }, r.n);
    },
  });
  const attempts = new Counter({
    name: 'sextant_notification_deliveries_total',
    help: 'Notification attempts by this instance, by how they completed (delivered, retry, dead, superseded, fenced)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'sextant_notification_tick_to_delivery_seconds',
    help: 'From the tick that decided a notification to its delivery',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3_600],
    registers: [registry],
  });
  return (outcome: string, seconds: number | null) => {
    attempts.inc({ outcome });
    if (seconds !== null) latency.observe(Math.max(0, seconds));
  };
}

/** Notification ticks: lag against the group's schedule, and every integration's decision by reason (spec A7). */
function notifyMetrics(registry: Registry) {
  const lag = new Histogram({
    name: 'sextant_notify_tick_lag_seconds',
    help: 'How late notification group ticks flushed by this instance ran against their schedule',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'sextant_notify_decisions_total',
    help: 'Per-integration decisions of notification ticks by this instance, by whether a message was enqueued and why',
    labelNames: ['notify', 'reason'] as const,
    registers: [registry],
  });
  return (tick: TickResult) => {
    lag.observe(Math.max(0, tick.lagMs / 1000));
    for (const d of tick.decisions) decisions.inc({ notify: String(d.notify), reason: d.reason });
  };
}

/** A counter of runs by result (`ok` or `failed`) and a histogram of one of their timings, observed together. */
function outcomeMetrics(
  registry: Registry,
  counter: { name: string; help: string },
  histogram: { name: string; help: string; buckets: number[] },
) {
  const runs = new Counter({ ...counter, labelNames: ['result'] as const, registers: [registry] });
  const timing = new Histogram({ ...histogram, registers: [registry] });
  return (ok: boolean, seconds: number) => {
    runs.inc({ result: ok ? 'ok' : 'failed' });
    timing.observe(seconds);
  };
}

/** One registry per server instance so tests can run several servers in one process. */
export function createMetrics(options: { sql: Sql; applicationName: string; poolMax: number }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sextant_' });
  // The endpoint is unauthenticated (Prometheus scrapes it): no runtime version for someone choosing an exploit.
  registry.removeSingleMetric('sextant_nodejs_version_info');

  const requests = new Counter({
    name: 'sextant_http_requests_total',
    help: 'HTTP requests by tRPC procedure (or route) and status',
    labelNames: ['procedure', 'method', 'status'] as const,
    registers: [registry],
  });
  // Each series' children, found once: prom-client hashes the label object on every inc/observe otherwise.
  // Bounded as the series are (labels from requestLabels: known procedures, routes, methods, statuses).
  const requestSeries = new Map<string, { count: { inc(): void }; duration: { observe(v: number): void } }>();
  const duration = new Histogram({
    name: 'sextant_http_request_duration_seconds',
    help: 'HTTP request duration by tRPC procedure (or route) and status',
    labelNames: ['procedure', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'sextant_db_pool_max',
    help: 'Configured maximum connections in this process pool',
    registers: [registry],
    collect() {
      this.set(options.poolMax);
    },
  });
  // One pg_stat_activity probe per scrape, shared by the gauges that report it.
  let probe: { at: number; rows: Promise<{ state: string; n: number }[] | null> } | null = null;
  const probeRows = () => {
    if (!probe || Date.now() - probe.at > 250) {
      probe = {
        at: Date.now(),
        rows: withTimeout(
          options.sql<{ state: string; n: number }[]>`
            select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
            where application_name = ${options.applicationName} and pid <> pg_backend_pid()
            group by 1`.execute(),
          1_000,
          'pool probe',
        ).catch(() => null),
      };
    }
    return probe.rows;
  };
  new Gauge({
    name: 'sextant_db_up',
    help: '1 when the pool probe reached Postgres during this scrape',
    registers: [registry],
    async collect() {
      this.set((await probeRows()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sextant_db_pool_connections',
    help: "This process's open Postgres connections by state (from pg_stat_activity; the probe's own counts as idle)",
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const rows = await probeRows();
      const count = (match: (state: string) => boolean) =>
        (rows ?? []).filter((r) => match(r.state)).reduce((a, r) => a + r.n, 0);
      this.set(
        { state: 'in_use' },
        count((s) => s !== 'idle'),
      );
      this.set({ state: 'idle' }, rows ? count((s) => s === 'idle') + 1 : 0);
    },
  });

  const checkRun = outcomeMetrics(
    registry,
    { name: 'sextant_check_runs_total', help: 'Checks run by this instance, by result' },
    {
      name: 'sextant_check_lag_seconds',
      help: 'How late checks started against their scheduled slot',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    },
  );
  const scrape = outcomeMetrics(
    registry,
    { name: 'sextant_target_scrapes_total', help: 'Scrapes of scrape targets by this instance, by result' },
    {
      name: 'sextant_target_scrape_seconds',
      help: 'How long scrapes of scrape targets took',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    },
  );

  const ruleEvaluation = alertMetrics(registry, options.sql);
  const delivery = deliveryMetrics(registry, options.sql);

  return {
    registry,
    observeRuleEvaluation: ruleEvaluation,
    observeDelivery: delivery,
    observeNotifyTick: notifyMetrics(registry),
    observeCheckRun: (ok, lagSeconds) => checkRun(ok, Math.max(0, lagSeconds)),
    observeScrape: scrape,
    observeRequest(labels, seconds) {
      const id = `${labels.procedure} ${labels.method} ${labels.status}`;
      let series = requestSeries.get(id);
      if (!series) {
        const l = { procedure: labels.procedure, method: labels.method, status: String(labels.status) };
        series = { count: requests.labels(l), duration: duration.labels(l) };
        requestSeries.set(id, series);
      }
      series.count.inc();
      series.duration.observe(seconds);
    },
  };
}
