/**
 * A status page notice rendered for a subscriber: an email (subject, text, HTML with every value escaped, the
 * unsubscribe link and RFC 8058 List-Unsubscribe headers, Message-ID from the idempotency key) or a Statuspage-like
 * webhook JSON body. Only the notice's public fields are read.
 */
import escapeHtml from 'escape-html';
import type { IntegrationTarget } from '../message';
import type { NoticeLinks, StatusNotice } from '../status-notice';
import { IntegrationConfigError } from './config-error';
import type { Mail } from './email';
import { type HttpRequest, jsonPost } from './http-request';
import { truncate } from './text';

const SUBJECT_MAX = 250;
const words = (s: string) => s.replaceAll('_', ' ');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function linksOf(n: StatusNotice): NoticeLinks {
  if (!n.links) throw new IntegrationConfigError('the notice was not given its links');
  return n.links;
}

function subjectOf(n: StatusNotice): string {
  const page = n.page.title;
  const i = n.incident;
  const m = n.maintenance;
  switch (n.event) {
    case 'subscription.confirm':
      return `Confirm your subscription to ${page}`;
    case 'incident.created':
    case 'incident.updated':
    case 'incident.resolved':
      return `[${page}] ${cap(words(i!.status))}: ${i!.title}`;
    case 'maintenance.scheduled':
      return `[${page}] Scheduled maintenance: ${m!.title}`;
    case 'maintenance.started':
      return `[${page}] Maintenance in progress: ${m!.title}`;
    case 'maintenance.completed':
      return `[${page}] Maintenance completed: ${m!.title}`;
  }
}

/** The body's lines as [label, value] pairs or plain paragraphs, rendered to text and HTML alike. */
function paragraphs(n: StatusNotice): string[] {
  if (n.event === 'subscription.confirm')
    return [
      `Someone (hopefully you) asked to get ${n.page.title} updates by email.`,
      'Confirm with the link below; if it was not you, ignore this mail and nothing more will come.',
    ];
  if (n.incident) {
    const i = n.incident;
    return [
      `Incident: ${i.title}`,
      `Status: ${words(i.status)}`,
      ...(i.components.length
        ? [`Affected: ${i.components.map((c) => `${c.name} (${words(c.impact)})`).join(', ')}`]
        : []),
      ...(i.update ? [`Update (${words(i.update.status)}, ${i.update.at}):`, i.update.body] : []),
    ];
  }
  const m = n.maintenance!;
  return [
    `Maintenance: ${m.title}`,
    `From ${m.startsAt} to ${m.endsAt}`,
    ...(m.components.length ? [`Components: ${m.components.join(', ')}`] : []),
    ...(m.description ? [m.description] : []),
  ];
}

function textOf(n: StatusNotice, links: NoticeLinks): string {
  const tail =
    n.event === 'subscription.confirm'
      ? [`Confirm: ${links.confirm}`]
      : [`Status page: ${links.page}`, '', `Unsubscribe: ${links.unsubscribe}`];
  return [...paragraphs(n).flatMap((p) => [p, '']), ...tail].join('\n');
}

function htmlOf(n: StatusNotice, links: NoticeLinks): string {
  const e = (s: string) => escapeHtml(s);
  const body = paragraphs(n)
    .map((p) => `<p style="white-space:pre-wrap">${e(p)}</p>`)
    .join('');
  const tail =
    n.event === 'subscription.confirm'
      ? `<p><a href="${e(links.confirm ?? '')}">Confirm subscription</a></p>`
      : `<p><a href="${e(links.page)}">${e(n.page.title)}</a></p>` +
        `<p style="color:#888;font-size:12px"><a href="${e(links.unsubscribe)}">Unsubscribe</a></p>`;
  return `<!DOCTYPE html><html><body style="font-family:sans-serif"><h2>${e(subjectOf(n))}</h2>${body}${tail}</body></html>`;
}

export function renderNoticeEmail(target: IntegrationTarget, n: StatusNotice): Mail {
  const settings = target.settings;
  if (settings.kind !== 'email') throw new IntegrationConfigError('a mail notice needs an email integration');
  if (settings.to.length !== 1) throw new IntegrationConfigError('a notice goes to exactly one subscriber');
  const links = linksOf(n);
  const headers: Record<string, string> = { 'X-Sextant-Idempotency-Key': n.idempotencyKey };
  if (n.event !== 'subscription.confirm') {
    headers['List-Unsubscribe'] = `<${links.oneClick}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    smarthost: settings.smarthost,
    requireTls: settings.requireTls,
    auth: settings.username ? { user: settings.username, pass: target.secrets.password ?? '' } : null,
    from: settings.from,
    to: settings.to,
    // Header injection: a title with a line break must not start a new header.
    subject: truncate(subjectOf(n).replace(/[\r\n]+/g, ' '), SUBJECT_MAX),
    text: textOf(n, links),
    html: htmlOf(n, links),
    messageId: `<${n.idempotencyKey}@sextant>`,
    headers,
  };
}

const MAINTENANCE_STATUS = {
  'maintenance.scheduled': 'scheduled',
  'maintenance.started': 'in_progress',
  'maintenance.completed': 'completed',
} as const;

/** Statuspage's webhook shape (`meta`, `page`, `incident` or `maintenance`), from the public fields only. */
export function noticeWebhookBody(n: StatusNotice) {
  const links = n.links;
  const i = n.incident;
  const m = n.maintenance;
  return {
    meta: {
      event: n.event,
      idempotency_key: n.idempotencyKey,
      generated_at: n.at,
      ...(links ? { unsubscribe: links.oneClick } : {}),
    },
    page: { id: n.page.id, slug: n.page.slug, name: n.page.title, ...(links ? { url: links.page } : {}) },
    ...(i
      ? {
          incident: {
            id: i.id,
            name: i.title,
            status: i.status,
            started_at: i.startedAt,
            resolved_at: i.resolvedAt,
            components: i.components.map((c) => ({ name: c.name, status: c.impact })),
            incident_updates: i.update
              ? [{ status: i.update.status, body: i.update.body, created_at: i.update.at }]
              : [],
          },
        }
      : {}),
    ...(m
      ? {
          maintenance: {
            id: m.id,
            name: m.title,
            description: m.description,
            status: MAINTENANCE_STATUS[n.event as keyof typeof MAINTENANCE_STATUS],
            scheduled_for: m.startsAt,
            scheduled_until: m.endsAt,
            components: m.components.map((name) => ({ name })),
          },
        }
      : {}),
  };
}

export function renderNoticeWebhook(target: IntegrationTarget, n: StatusNotice): HttpRequest {
  const url = target.secrets.url;
  if (!url) throw new IntegrationConfigError('the webhook subscriber has no URL');
  return jsonPost(url, n, noticeWebhookBody(n));
}
