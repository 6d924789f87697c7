import type { Sql } from '@sextant/db';
import {
  CardinalityLimitError,
  type ClaimedScrapeTarget,
  claimDueScrapeTargets,
  completeScrape,
  ingestBatch,
  LostLease,
  METRIC_LIMITS,
  type MetricBatch,
  type SeriesLimits,
} from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from './leased-loop';
import { createDeadline, httpGet, type ProbeOptions } from './probe';
import { toBatch } from './scrape';

export interface ScrapeSchedulerOptions extends LoopOptions {
  /** Called for every scrape this instance made, stored or not. */
  onScrape?: (outcome: ScrapeOutcome) => void;
  /** Series limits; a scrape that would pass one is stored as a failed scrape (up = 0) with the reason. */
  limits: SeriesLimits;
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
export async function scrapeTarget(target: ClaimedScrapeTarget, options: ProbeOptions, at = Date.now()) {
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

/** Runs due scrape targets, each slot once across all instances, as checks are run. */
export class ScrapeScheduler extends LeasedLoop<ClaimedScrapeTarget> {
  constructor(private readonly o: ScrapeSchedulerOptions) {
    super(o, claimDueScrapeTargets);
  }

  protected async run(target: ClaimedScrapeTarget, options: ProbeOptions) {
    const startedAt = Date.now();
    let outcome = await scrapeTarget(target, options, startedAt);
    try {
      outcome = await recordScrape(
        this.o.sql,
        target,
        outcome,
        new Date(startedAt),
        this.o.instance,
        this.o.limits,
      );
    } catch (err) {
      // Lost lease: the target was changed or taken over meanwhile, and nothing of this run was stored.
      if (!(err instanceof LostLease))
        this.o.logger.warn({ err, scrapeTargetId: target.id }, 'could not record scrape');
    }
    this.o.onScrape?.(outcome);
  }
}

const SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

/**
 * Stores the samples and moves the schedule in one transaction, guarded by the slot and lease this
 * instance claimed: a slot's samples are written once, or not at all. Over a series limit, the scrape is
 * recorded as failed with the limit's message instead, as Prometheus fails a scrape over its `sample_limit`.
 */
export async function recordScrape(
  sql: Sql,
  target: ClaimedScrapeTarget,
  outcome: ScrapeOutcome,
  startedAt: Date,
  instance: string,
  limits: SeriesLimits,
): Promise<ScrapeOutcome> {
  const store = (o: ScrapeOutcome) =>
    ingestBatch(sql, o.batch, limits, (tx) => completeScrape(tx, target, o, startedAt, instance));
  try {
    await store(outcome);
    return outcome;
  } catch (err) {
    if (!(err instanceof CardinalityLimitError)) throw err;
    const points = outcome.batch.points
      .filter((p) => SYNTHETIC.has(p.name))
      .map((p) => (p.name === 'up' ? { ...p, value: 0 } : p));
    const failed = { ...outcome, batch: { points, histograms: [] }, error: err.message };
    // The synthetic series may be new too (a new target of a service at its limit): then only the error is kept.
    await store(failed).catch((again) => {
      if (!(again instanceof CardinalityLimitError)) throw again;
      return store({ ...failed, batch: { points: [], histograms: [] } });
    });
    return failed;
  }
}
