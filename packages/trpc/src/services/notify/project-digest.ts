/**
 * A project's weekly digest (issue 17 point 4) as the outbox stores it for one recipient, and its rendering: a mail
 * through the project's email integration, to that recipient only (plain text and simple HTML, every value escaped).
 */
import { createHash } from 'node:crypto';
import type { IncidentSeverity, IncidentStatus, ProjectHealth } from '@sextant/db/enums';
import escapeHtml from 'escape-html';
import { IntegrationConfigError } from './integrations/config-error';
import type { Mail } from './integrations/email';
import { truncate } from './integrations/text';
import type { IntegrationTarget } from './message';

/** Scope and done as a snapshot held them, with the percentages the progress core computes from them. */
export interface DigestFigures {
  day: string;
  scopeCount: number;
  doneCount: number;
  scopePoints: number;
  donePoints: number;
  byCount: number;
  byEstimate: number;
}

export interface DigestItemList {
  count: number;
  points: number;
  /** The first few titles (DIGEST_LIMITS.listedItems); `count` says how many there are in all. */
  titles: string[];
}

export interface DigestIncident {
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  startedAt: string;
  services: string[];
}

export interface ProjectDigest {
  type: 'project_digest';
  /** sha256(project, week, recipient); also the Message-ID. */
  idempotencyKey: string;
  /** The one recipient's address. */
  to: string;
  project: { id: string; name: string };
  /** Monday (UTC) of the ISO week the digest is sent in; it covers the 7 days before: `from`..`to` inclusive. */
  week: { start: string; from: string; to: string };
  /** Snapshots at the end of the day before `from` and at the end of `to`; null when the project had none yet. */
  progress: { before: DigestFigures | null; after: DigestFigures | null };
  done: DigestItemList;
  added: DigestItemList;
  health: { health: ProjectHealth; rules: { id: string; text: string }[] };
  incidents: { open: number; shown: DigestIncident[] };
  /** The project's page in the console. */
  link: string;
}

export function isProjectDigest(payload: unknown): payload is ProjectDigest {
  return (payload as { type?: unknown } | null)?.type === 'project_digest';
}

/** The outbox's UNIQUE key of one project's digest of one week to one person. */
export function digestIdempotencyKey(projectId: string, weekStart: string, userId: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['project-digest', projectId, weekStart, userId]))
    .digest('hex');
}

const HEALTH_WORDS = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' } as const;
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function progressLine(label: string, key: 'byCount' | 'byEstimate', d: ProjectDigest): string {
  const { before, after } = d.progress;
  if (!after) return `${label}: no snapshot yet`;
  if (!before) return `${label}: ${after[key]}%`;
  return `${label}: ${before[key]}% → ${after[key]}% (${signed(after[key] - before[key])} points)`;
}

const listed = (l: DigestItemList) => {
  const more = l.count - l.titles.length;
  return [...l.titles.map((t) => `- ${t}`), ...(more > 0 ? [`- and ${more} more`] : [])];
};

/** The body as sections of lines, rendered to text and HTML alike. */
function sections(d: ProjectDigest): { title: string; lines: string[] }[] {
  const i = d.incidents;
  return [
    {
      title: 'Progress',
      lines: [progressLine('By count', 'byCount', d), progressLine('By estimate', 'byEstimate', d)],
    },
    { title: `Done this week: ${d.done.count} items (${d.done.points} points)`, lines: listed(d.done) },
    {
      title: `Scope added this week: ${d.added.count} items (${d.added.points} points)`,
      lines: listed(d.added),
    },
    {
      title: `Health: ${HEALTH_WORDS[d.health.health]}`,
      lines: d.health.rules.map((r) => `- ${r.text} (${r.id})`),
    },
    {
      title: `Open incidents of its services: ${i.open}`,
      lines: [
        ...i.shown.map(
          (x) =>
            `- [${x.severity}] ${x.title} (${x.status.replaceAll('_', ' ')}, since ${x.startedAt}; ${x.services.join(', ')})`,
        ),
        ...(i.open > i.shown.length ? [`- and ${i.open - i.shown.length} more`] : []),
      ],
    },
  ];
}

export const digestSubject = (d: ProjectDigest) =>
  `Weekly digest: ${d.project.name}, ${d.week.from} to ${d.week.to}`;

function textOf(d: ProjectDigest): string {
  return [
    digestSubject(d),
    '',
    ...sections(d).flatMap((s) => [s.title, ...s.lines, '']),
    `Open the project: ${d.link}`,
  ].join('\n');
}

function htmlOf(d: ProjectDigest): string {
  const e = (s: string) => escapeHtml(s);
  const body = sections(d)
    .map((s) => `<h3>${e(s.title)}</h3>${s.lines.map((l) => `<div>${e(l)}</div>`).join('')}`)
    .join('');
  return `<!DOCTYPE html><html><body style="font-family:sans-serif"><h2>${e(digestSubject(d))}</h2>${body}<p><a href="${e(d.link)}">Open the project</a></p></body></html>`;
}

/** The digest's mail through the project's email integration, to its one recipient (not the integration's list). */
export function renderDigestEmail(target: IntegrationTarget, d: ProjectDigest): Mail {
  const settings = target.settings;
  if (settings.kind !== 'email') throw new IntegrationConfigError('a digest needs an email integration');
  return {
    smarthost: settings.smarthost,
    requireTls: settings.requireTls,
    auth: settings.username ? { user: settings.username, pass: target.secrets.password ?? '' } : null,
    from: settings.from,
    to: [d.to],
    // Header injection: a project name with a line break must not start a new header.
    subject: truncate(digestSubject(d).replace(/[\r\n]+/g, ' '), 250),
    text: textOf(d),
    html: htmlOf(d),
    messageId: `<${d.idempotencyKey}@sextant>`,
    headers: { 'X-Sextant-Idempotency-Key': d.idempotencyKey },
  };
}
