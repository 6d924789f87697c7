/**
 * The DORA figures from samples aggregated in SQL (services/dora-reader.ts) rather than from rows: the same
 * definitions as `doraFigures` (README "DORA figures (calculator)"), built from the calculator's own pieces
 * (`frequencyBucket`, `median`, `bandFor`), so a year of 100k deployments is not shipped to Node per read. The
 * reader's tests check both give the same figures for the calculator's fixture.
 */
import {
  bandFor,
  DEFAULT_DORA_FLOOR,
  type DoraFigures,
  type DoraWindow,
  frequencyBucket,
  inWindow,
  median,
} from './dora';
import { MINUTE_MS, WEEK_MS } from './dora/types';

/** One service's window, counted in SQL. */
export interface ServiceSample {
  serviceId: string;
  /** Succeeded production deployments finished in the window. */
  deployed: number;
  /** Finished production deployments (any finished state) in the window. */
  finished: number;
  /** Of those, failed, rolled back or linked to an incident: each once. */
  failed: number;
  /** One finish time (ms) per UTC day with a succeeded deployment: the bucket counts days, not deploys. */
  deployDays: number[];
  /** Lead time gaps (ms, > 0) of the commits whose first succeeded production deployment is in the window. */
  gaps: number[];
}

/** An incident started in the window with its finished production links. */
export interface IncidentSample {
  id: string;
  startedAt: Date;
  resolvedAt: Date | null;
  links: { serviceId: string; finishedAt: Date }[];
}

export interface Samples {
  services: readonly ServiceSample[];
  incidents: readonly IncidentSample[];
  /** Whether a linked deployment's service belongs to the scope (its finish may start the recovery). */
  inScope: (serviceId: string) => boolean;
}

export function figuresFromSamples(s: Samples, window: DoraWindow, floor = DEFAULT_DORA_FLOOR): DoraFigures {
  const sum = (f: (x: ServiceSample) => number) => s.services.reduce((a, x) => a + f(x), 0);
  const deployed = sum((x) => x.deployed);
  const finished = sum((x) => x.finished);
  const failed = sum((x) => x.failed);
  const gaps = s.services.flatMap((x) => x.gaps);
  const spanMs = window.to.getTime() - window.from.getTime();

  const restores: number[] = [];
  const unresolved: string[] = [];
  for (const i of s.incidents) {
    if (!inWindow(i.startedAt, window)) continue;
    if (!i.resolvedAt) {
      unresolved.push(i.id);
      continue;
    }
    // From the earlier of the opening and its linked production deployments (of the scope).
    let start = i.startedAt.getTime();
    for (const l of i.links) if (s.inScope(l.serviceId)) start = Math.min(start, l.finishedAt.getTime());
    restores.push(Math.max(0, i.resolvedAt.getTime() - start));
  }

  const dfLow = deployed < floor;
  const perWeek = dfLow ? null : (deployed * WEEK_MS) / spanMs;
  const ltLow = gaps.length < floor;
  const lt = ltLow ? null : median(gaps)! / MINUTE_MS;
  const cfrLow = finished < floor;
  const ratio = cfrLow ? null : failed / finished;
  const rtLow = restores.length < floor;
  const rt = rtLow ? null : median(restores)! / MINUTE_MS;
  const days = s.services.flatMap((x) => x.deployDays.map((ms) => new Date(ms)));
  return {
    deploymentFrequency: {
      count: deployed,
      perWeek,
      bucket: dfLow ? null : frequencyBucket(days, window),
      band: bandFor('deploymentFrequency', perWeek),
    },
    leadTime: { count: gaps.length, medianMinutes: lt, band: bandFor('leadTime', lt) },
    changeFailureRate: { deployments: finished, failed, ratio, band: bandFor('changeFailureRate', ratio) },
    recoveryTime: {
      count: restores.length,
      medianMinutes: rt,
      unresolved,
      band: bandFor('recoveryTime', rt),
    },
    insufficient: {
      deploymentFrequency: dfLow,
      leadTime: ltLow,
      changeFailureRate: cfrLow,
      recoveryTime: rtLow,
    },
  };
}
