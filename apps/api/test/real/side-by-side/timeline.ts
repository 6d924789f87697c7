/**
 * Replays the cases against every side at once and turns what each side's collector received into comparable
 * deliveries: per case, per phase, sorted, with the webhook v4 fields that both sides send.
 */
import type { ConditionMatcher } from '@sextant/db';
import type { Collector, Received } from '../webhook-collector';
import { type Case, type Expected, receiversOf, UNIT_MS } from './cases';

/** An alert as `POST /api/v2/alerts` takes it (Alertmanager v2 PostableAlert). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL: string;
}

/** One system under test: how to push alerts and create silences, and the collector its webhooks reach. */
export interface Side {
  name: string;
  collector: Collector;
  push(alerts: PostableAlert[]): Promise<void>;
  silence(matchers: ConditionMatcher[], startsAt: Date, endsAt: Date, comment: string): Promise<void>;
}

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
const iso = (ms: number) => new Date(ms).toISOString();

/** Runs one case's steps from `t0` (epoch ms) on every side, each step on all sides concurrently. */
export async function replay(c: Case, sides: readonly Side[], t0: number): Promise<void> {
  for (const step of c.steps) {
    await sleepUntil(t0 + step.at * UNIT_MS);
    if ('push' in step) {
      const alerts = step.push.map(
        (a): PostableAlert => ({
          labels: { ...a.labels, case: c.name },
          annotations: { summary: `${c.name} ${a.labels.alertname}`, ...a.annotations },
          startsAt: iso(t0 + (a.since ?? step.at) * UNIT_MS),
          ...(a.resolvedAt === undefined ? {} : { endsAt: iso(t0 + a.resolvedAt * UNIT_MS) }),
          generatorURL: `http://generator.test/${c.name}`,
        }),
      );
      await Promise.all(sides.map((s) => s.push(alerts)));
    } else {
      const matchers = [{ label: 'case', op: '=' as const, value: c.name }, ...step.silence.matchers];
      const startsAt = new Date(t0 + step.at * UNIT_MS);
      const endsAt = new Date(startsAt.getTime() + step.silence.units * UNIT_MS);
      await Promise.all(sides.map((s) => s.silence(matchers, startsAt, endsAt, `${c.name} side by side`)));
    }
  }
  await sleepUntil(t0 + c.end * UNIT_MS);
}

interface ComparedAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** The webhook v4 fields both sides send, normalized for comparison (Sextant's own additions left out). */
export interface Delivery {
  phase: number;
  /** Seconds after the cases' start, for the log only: never compared. */
  at: number;
  /** Sextant's tick time (`tickTime`), seconds after the cases' start, for the log only. */
  tick: number | null;
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  status: string;
  truncatedAlerts: number;
  alerts: ComparedAlert[];
}

const labelText = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

/** The deliveries of one case on one side, phase by phase (arrival order inside a phase does not matter). */
export function deliveriesOf(c: Case, received: readonly Received[], t0: number): Delivery[][] {
  const mine = new Set(receiversOf(c.route));
  const phases: Delivery[][] = Array.from({ length: c.checkpoints.length + 1 }, () => []);
  for (const r of received) {
    const receiver = decodeURIComponent(r.path.slice(1));
    if (!mine.has(receiver)) continue;
    const at = r.at - t0;
    const tick = typeof r.body.tickTime === 'string' ? Date.parse(r.body.tickTime) - t0 : null;
    // Sextant says which tick decided a message; its arrival may lag on a loaded machine. AM sends at its tick.
    const when = tick ?? at;
    if (when >= c.end * UNIT_MS) continue;
    const phase = c.checkpoints.filter((cp) => when >= cp * UNIT_MS).length;
    const b = r.body as unknown as Delivery & { alerts: ComparedAlert[] };
    phases[phase]!.push({
      phase,
      at: Math.round(at / 10) / 100,
      tick: tick === null ? null : Math.round(tick / 10) / 100,
      receiver: b.receiver,
      groupKey: b.groupKey,
      groupLabels: b.groupLabels,
      commonLabels: b.commonLabels,
      commonAnnotations: b.commonAnnotations,
      status: b.status,
      truncatedAlerts: b.truncatedAlerts,
      alerts: b.alerts
        .map((a) => ({
          status: a.status,
          labels: a.labels,
          annotations: a.annotations,
          startsAt: a.startsAt,
          endsAt: a.endsAt,
          generatorURL: a.generatorURL,
          fingerprint: a.fingerprint,
        }))
        .sort((x, y) => labelText(x.labels).localeCompare(labelText(y.labels))),
    });
  }
  for (const p of phases)
    p.sort((x, y) => x.receiver.localeCompare(y.receiver) || x.groupKey.localeCompare(y.groupKey));
  return phases;
}

/** "name,k=v status" without the case label, as the cases write their expectations. */
export function alertText(a: { labels: Record<string, string>; status: string }): string {
  const { alertname, case: _case, ...rest } = a.labels;
  return `${[alertname, ...(labelText(rest) ? [labelText(rest)] : [])].join(',')} ${a.status}`;
}

/** A delivery as the cases' expectations describe it. */
export function summary(d: Delivery): Expected {
  return {
    receiver: d.receiver,
    groupLabels: d.groupLabels,
    status: d.status as Expected['status'],
    alerts: d.alerts.map(alertText).sort(),
  };
}

/** Each phase's deliveries in one order (receiver, group labels, alerts), for comparing summaries as sets. */
export function canonical(phases: Expected[][]): Expected[][] {
  const key = (e: Expected) => `${e.receiver}|${labelText(e.groupLabels)}|${e.alerts.join(';')}`;
  return phases.map((p) =>
    [...p].map((e) => ({ ...e, alerts: [...e.alerts].sort() })).sort((x, y) => key(x).localeCompare(key(y))),
  );
}

/** A one-line record of a side's deliveries for the report: "1.02s B1 [Disk,instance=a firing]" per delivery. */
export function timelineText(phases: Delivery[][]): string {
  return phases
    .flat()
    .map(
      (d) =>
        `${d.at.toFixed(2)}s${d.tick === null ? '' : ` (tick ${d.tick.toFixed(2)}s)`} ${d.receiver} ${d.status} [${d.alerts.map(alertText).join('; ')}]`,
    )
    .join(' | ');
}
