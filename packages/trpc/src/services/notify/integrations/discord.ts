/**
 * Discord webhook: `content` (at most 2000 characters) plus one embed per alert, within Discord's documented
 * limits: at most 10 embeds, a title 256 characters, a description 4096, and 6000 characters over all embeds.
 * Mentions are disabled so an alert label reading "@everyone" pings nobody.
 */
import type { ChatWebhookSettings } from '@sextant/db';
import type { IntegrationTarget, MessageAlert, NotificationMessage } from '../message';
import { requiredSecret } from './config-error';
import { type HttpRequest, jsonPost } from './http-request';
import * as fmt from './text';

export const DISCORD_LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, embedsTotal: 6000 };
/** Our own cap on an embed title, so ten titles leave most of the 6000 for the descriptions. */
const TITLE_CAP = 100;

const colourInt = (alert: MessageAlert) => (alert.status === 'firing' ? 0xd63232 : 0x2eb67d);

export function discordPayload(message: NotificationMessage) {
  const alerts = fmt.byStatus(message);
  const shown = alerts.slice(0, DISCORD_LIMITS.embeds);
  const omitted = alerts.length - shown.length + message.truncatedAlerts;
  const titles = shown.map((a) => fmt.truncate(`[${a.status.toUpperCase()}] ${fmt.alertName(a)}`, TITLE_CAP));
  const titleChars = titles.reduce((n, t) => n + t.length, 0);
  const perDescription = Math.min(
    DISCORD_LIMITS.description,
    Math.floor((DISCORD_LIMITS.embedsTotal - titleChars) / Math.max(1, shown.length)),
  );
  const embeds = shown.map((alert, i) => {
    const value = fmt.valueText(alert);
    const link = fmt.safeLink(alert.generatorURL);
    return {
      title: titles[i],
      description: fmt.truncate(
        [fmt.summaryOf(alert), fmt.labelText(alert.labels), ...(value ? [value] : [])].join('\n'),
        perDescription,
      ),
      color: colourInt(alert),
      timestamp: alert.status === 'resolved' ? alert.endsAt : alert.startsAt,
      ...(link ? { url: link } : {}),
    };
  });
  const console = fmt.safeLink(message.consoleURL);
  const lines = [
    fmt.titleOf(message),
    ...(omitted > 0 ? [fmt.moreText(omitted)] : []),
    ...(console ? [console] : []),
  ];
  return {
    content: fmt.truncate(lines.join('\n'), DISCORD_LIMITS.content),
    embeds,
    allowed_mentions: { parse: [] },
  };
}

export function renderDiscord(
  target: IntegrationTarget,
  _settings: ChatWebhookSettings,
  message: NotificationMessage,
): HttpRequest {
  return jsonPost(requiredSecret(target, 'url'), message, discordPayload(message));
}
