import { followingSlot, type Sql } from '@sextant/db';
import { ingestBatch, METRIC_LIMITS, type MetricBatch } from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from './leased-loop';
import { createDeadline, httpGet, type ProbeOptions } from './probe';
import { toBatch } from './scrape';

export interface ClaimedTarget {
  id: string;
  url: string;
  labels: Record<string, string>;
  dropPrefix: string | null;
  service: string;
  environment: string;
  intervalSeconds: number;
  timeoutMs: number;
  phaseOffsetMs: number;
  nextRunAt: Date;
}

export interface ScrapeSchedulerOptions extends LoopOptions {
  sql: Sql;
  instance: string;
  leaseMarginMs: number;
  /** Outbound policy and body cap, shared with checks' probe settings. */
  probeOptions: () => Promise<ProbeOptions>;
  /** Called for every scrape this instance made, stored or not. */
  onScrape?: (outcome: ScrapeOutcome) => void;
}

/** Prometheus' own Accept: the text format, never protobuf or OpenMetrics-only answers we can't read. */
const ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

export interface ScrapeOutcome {
  batch: MetricBatch;
  samples: number;
  durationMs: number;
  error: string | null;
}

/**
 * Scrapes one target through the checks' vetted HTTP path (outbound policy, pinned DNS, one deadline, body cap).
 * Adds Prometheus' synthetic `up`, `scrape_duration_seconds` and `scrape_samples_scraped`; a failed scrape
 * stores only those, with up = 0.
 */
export async function scrapeTarget(target: ClaimedTarget, options: ProbeOptions, at = Date.now()) {
  const labels = {
    instance: new URL(target.url).host,
    ...target.labels,
    service: target.service,
    environment: target.environment,
  };
  const deadline = createDeadline(target.timeoutMs);
  let batch: MetricBatch = { points: [], histograms: [] };
  let error: string | null = null;
  try {
    const maxBodyBytes = options.maxBodyBytes ?? 10 * 1_048_576;
    const ctx = { policy: options.outbound, maxBodyBytes, deadline };
    const res = await httpGet(target.url, { accept: ACCEPT, 'user-agent': 'Sextant-Scraper/1' }, ctx);
    if (res.status < 200 || res.status > 299) throw new Error(`the endpoint answered HTTP ${res.status}`);
    if (res.body.truncated) throw new Error(`the answer is larger than the ${maxBodyBytes}-byte limit`);
    batch = toBatch(
      res.body.bytes.toString('utf8'),
      { labels, stripPrefix: target.dropPrefix ?? undefined },
      at,
    );
    const samples = batch.points.length + batch.histograms.length;
    if (samples > METRIC_LIMITS.samplesPerBatch)
      throw new Error(`${samples} samples is over the limit of ${METRIC_LIMITS.samplesPerBatch} per scrape`);
  } catch (err) {
    batch = { points: [], histograms: [] };
    error = err instanceof Error ? err.message : String(err);
  } finally {
    deadline.dispose();
  }
  const durationMs = deadline.elapsed();
  const samples = batch.points.length + batch.histograms.length;
  const synthetic = (name: string, value: number) => ({
    name,
    labels,
    ts: at,
    value,
    kind: 'gauge' as const,
  });
  batch.points.push(
    synthetic('up', error === null ? 1 : 0),
    synthetic('scrape_duration_seconds', durationMs / 1000),
    synthetic('scrape_samples_scraped', samples),
  );
  return { batch, samples, durationMs, error } satisfies ScrapeOutcome;
}

class LostLease extends Error {}

/** Runs due scrape targets, each slot once across all instances, as checks are run. */
export class ScrapeScheduler extends LeasedLoop<ClaimedTarget, ProbeOptions> {
  constructor(private readonly o: ScrapeSchedulerOptions) {
    super(o);
  }

  protected shared() {
    return this.o.probeOptions();
  }

  protected async claim(limit: number): Promise<ClaimedTarget[]> {
    return this.o.sql<ClaimedTarget[]>`
      with due as (
        select id from scrape_targets
        where not paused and next_run_at <= now() and (lease_until is null or lease_until < now())
        order by next_run_at
        limit ${limit}
        for update skip locked
      )
      update scrape_targets t set lease_owner = ${this.o.instance},
        lease_until = now() + make_interval(secs => (t.timeout_ms + ${this.o.leaseMarginMs}) / 1000.0)
      from due, services s, environments e
      where t.id = due.id and s.id = t.service_id and e.id = t.environment_id
      returning t.id, t.url, t.labels, t.drop_prefix as "dropPrefix", s.slug as service, e.name as environment, t.interval_seconds as "intervalSeconds",
        t.timeout_ms as "timeoutMs", t.phase_offset_ms as "phaseOffsetMs", t.next_run_at as "nextRunAt"`;
  }

  protected async run(target: ClaimedTarget, options: ProbeOptions) {
    const startedAt = Date.now();
    const outcome = await scrapeTarget(target, options, startedAt);
    this.o.onScrape?.(outcome);
    try {
      await recordScrape(this.o.sql, target, outcome, new Date(startedAt), this.o.instance);
    } catch (err) {
      // Lost lease: the target was changed or taken over meanwhile, and nothing of this run was stored.
      if (!(err instanceof LostLease))
        this.o.logger.warn({ err, scrapeTargetId: target.id }, 'could not record scrape');
    }
  }
}

/**
 * Stores the samples and moves the schedule in one transaction, guarded by the slot and lease this
 * instance claimed: a slot's samples are written once, or not at all.
 */
export async function recordScrape(
  sql: Sql,
  target: ClaimedTarget,
  outcome: ScrapeOutcome,
  startedAt: Date,
  instance: string,
) {
  const next = new Date(
    followingSlot(target.nextRunAt.getTime(), Date.now(), target.intervalSeconds, target.phaseOffsetMs),
  );
  await ingestBatch(sql, outcome.batch, async (tx) => {
    const moved = await tx`
      update scrape_targets set next_run_at = ${next}, lease_owner = null, lease_until = null,
        last_scrape_at = ${startedAt}, last_duration_ms = ${outcome.durationMs}, last_samples = ${outcome.samples},
        last_error = ${outcome.error}
      where id = ${target.id} and lease_owner = ${instance}
        and date_trunc('milliseconds', next_run_at) = ${target.nextRunAt}`;
    if (moved.count === 0) throw new LostLease();
  });
}
