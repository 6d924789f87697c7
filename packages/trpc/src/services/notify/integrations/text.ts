/** What every integration says about a message: its title, one line per alert, links; plus length caps. */
import type { MessageAlert, NotificationMessage } from '../message';

/** Cuts `text` to at most `max` UTF-16 units, marking the cut with "…" and never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function sortedValues(labels: Record<string, string>, skip: ReadonlySet<string> = new Set()): string[] {
  return Object.keys(labels)
    .filter((name) => !skip.has(name))
    .sort()
    .map((name) => labels[name]!);
}

/**
 * Alertmanager's default title: `[FIRING:2] <group label values> (<other common label values>)`, e.g.
 * `[FIRING:2] HighLatency (api critical)`; `[RESOLVED] …` once nothing fires.
 */
export function titleOf(message: NotificationMessage): string {
  const firing = message.alerts.filter((a) => a.status === 'firing').length;
  const status = message.status === 'firing' ? `[FIRING:${firing}]` : '[RESOLVED]';
  const grouped = sortedValues(message.groupLabels);
  const others = sortedValues(message.commonLabels, new Set(Object.keys(message.groupLabels)));
  return [status, ...grouped, ...(others.length > 0 ? [`(${others.join(' ')})`] : [])].join(' ');
}

export function alertName(alert: MessageAlert): string {
  return alert.labels.alertname ?? 'alert';
}

/** The alert's summary (or description) annotation, else its name. */
export function summaryOf(alert: MessageAlert): string {
  return alert.annotations.summary ?? alert.annotations.description ?? alertName(alert);
}

/** `name=value` pairs, sorted, as one line. */
export function labelText(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join(', ');
}

/** "value 97.5" (at resolve time for a resolved alert: AM #1485), or "" when the message has none. */
export function valueText(alert: MessageAlert): string {
  if (alert.value === undefined || alert.value === null) return '';
  return alert.status === 'resolved' ? `value at resolve ${alert.value}` : `value ${alert.value}`;
}

/** One plain-text line per alert: `[firing] summary — labels (value 97.5)`. */
export function alertLine(alert: MessageAlert): string {
  const value = valueText(alert);
  return `[${alert.status}] ${summaryOf(alert)} — ${labelText(alert.labels)}${value ? ` (${value})` : ''}`;
}

/** Firing first, then resolved, each in the message's order (the order AM's templates list them). */
export function byStatus(message: NotificationMessage): MessageAlert[] {
  return [
    ...message.alerts.filter((a) => a.status === 'firing'),
    ...message.alerts.filter((a) => a.status === 'resolved'),
  ];
}

/** "… and 3 more alerts" for what a size limit left out (including alerts the message itself truncated). */
export function moreText(omitted: number): string {
  return `… and ${omitted} more alert${omitted === 1 ? '' : 's'}`;
}

/** Only http(s) links are rendered: a javascript: or data: URL from an alert's source never becomes clickable. */
export function safeLink(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Firing red, resolved green, as hex "#rrggbb". */
export function colourOf(message: NotificationMessage): string {
  return message.status === 'firing' ? '#d63232' : '#2eb67d';
}
