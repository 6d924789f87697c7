import type { IntegrationKind } from '@sextant/db/enums';
import { RECEIVER_LIMITS as L } from '@sextant/trpc/limits';
import {
  PAGERDUTY_DEDUP,
  PAGERDUTY_EVENTS_URL,
  PAGERDUTY_SEVERITIES,
  type ReceiverInput,
  receiverInput,
} from '@sextant/trpc/schemas';
import type { RouterOutputs } from '~/lib/router-types';

type Receiver = RouterOutputs['receivers']['get'];

export const KIND_LABEL: Record<IntegrationKind, string> = {
  webhook: 'Webhook',
  slack: 'Slack',
  email: 'Email',
  pagerduty: 'PagerDuty',
  teams: 'Microsoft Teams',
  discord: 'Discord',
};

/** One form field of an integration; `name` is its path in the integration input (`smarthost.port`). */
export interface FieldSpec {
  name: string;
  label: string;
  type: 'text' | 'number' | 'secret' | 'bool' | 'list' | 'select';
  hint?: string;
  options?: readonly string[];
  range?: { min: number; max: number };
  /** A secret that may be left unset. */
  optional?: true;
}

const timeout: FieldSpec = { name: 'timeoutMs', label: 'Timeout (ms)', type: 'number', range: L.timeoutMs };
const resolved: FieldSpec = { name: 'sendResolved', label: 'Send resolved', type: 'bool' };
const chatUrl: FieldSpec = {
  name: 'webhookUrl',
  label: 'Webhook URL',
  type: 'secret',
  hint: 'The URL is the token: stored encrypted, never shown again.',
};

export const FIELDS: Record<IntegrationKind, FieldSpec[]> = {
  webhook: [
    {
      name: 'url',
      label: 'URL',
      type: 'text',
      hint: 'A user name, password or token in the URL is stored encrypted and shown masked; keep the mask to keep it.',
    },
    { name: 'bearerToken', label: 'Bearer token', type: 'secret', optional: true },
    {
      name: 'hmacSecret',
      label: 'HMAC signing secret',
      type: 'secret',
      optional: true,
      hint: 'Signs each body (signature header) so the receiver can verify it.',
    },
    { name: 'maxAlerts', label: 'Max alerts (0: all)', type: 'number', range: L.maxAlerts },
    timeout,
    resolved,
  ],
  slack: [
    { ...chatUrl, hint: 'hooks.slack.com URLs are tokens: stored encrypted, never shown again.' },
    { name: 'channel', label: 'Channel (optional)', type: 'text' },
    { name: 'username', label: 'User name (optional)', type: 'text' },
    timeout,
    resolved,
  ],
  email: [
    { name: 'to', label: 'To', type: 'list', hint: `Comma separated, at most ${L.recipients}.` },
    { name: 'from', label: 'From', type: 'text' },
    { name: 'smarthost.host', label: 'SMTP host', type: 'text' },
    { name: 'smarthost.port', label: 'SMTP port', type: 'number', range: L.port },
    { name: 'requireTls', label: 'Require STARTTLS', type: 'bool' },
    { name: 'username', label: 'SMTP user (optional)', type: 'text' },
    { name: 'password', label: 'SMTP password', type: 'secret', optional: true },
    timeout,
    resolved,
  ],
  pagerduty: [
    { name: 'routingKey', label: 'Routing key', type: 'secret' },
    { name: 'url', label: 'Events API URL', type: 'text' },
    { name: 'severity', label: 'Severity', type: 'select', options: PAGERDUTY_SEVERITIES },
    {
      name: 'dedupBy',
      label: 'One incident per',
      type: 'select',
      options: PAGERDUTY_DEDUP,
      hint: 'group: as Alertmanager does; alert: one incident each.',
    },
    timeout,
    resolved,
  ],
  teams: [chatUrl, timeout, resolved],
  discord: [chatUrl, timeout, resolved],
};

export type Values = Record<string, unknown>;
/** An integration in the editor: its input values, the secrets stored for it, a key for React. */
export interface IntegrationDraft {
  key: string;
  values: Values;
  stored: string[];
}
export interface ReceiverDraft {
  name: string;
  description: string;
  integrations: IntegrationDraft[];
}

let keys = 0;
const nextKey = () => `i${++keys}`;

export function newIntegration(kind: IntegrationKind): IntegrationDraft {
  const common = { kind, sendResolved: true, timeoutMs: 10_000 };
  const values: Record<IntegrationKind, Values> = {
    webhook: { ...common, url: '', maxAlerts: 0, bearerToken: null, hmacSecret: null },
    slack: { ...common, webhookUrl: '', channel: '', username: '' },
    email: {
      ...common,
      to: [],
      from: '',
      smarthost: { host: '', port: 587 },
      requireTls: true,
      username: '',
      password: null,
    },
    pagerduty: {
      ...common,
      routingKey: '',
      url: PAGERDUTY_EVENTS_URL,
      severity: 'critical',
      dedupBy: 'group',
    },
    teams: { ...common, webhookUrl: '' },
    discord: { ...common, webhookUrl: '' },
  };
  return { key: nextKey(), values: values[kind], stored: [] };
}

export function draftOf(receiver?: Receiver): ReceiverDraft {
  if (!receiver) return { name: '', description: '', integrations: [] };
  return {
    name: receiver.name,
    description: receiver.description,
    integrations: receiver.integrations.map(({ secretKeys, ...values }) => ({
      key: nextKey(),
      values,
      stored: secretKeys,
    })),
  };
}

export function getPath(values: Values, name: string): unknown {
  return name.split('.').reduce<unknown>((v, k) => (v as Values | undefined)?.[k], values);
}

export function setPath(values: Values, name: string, value: unknown): Values {
  const [head, ...rest] = name.split('.');
  if (rest.length === 0) return { ...values, [head!]: value };
  return { ...values, [head!]: setPath((values[head!] as Values) ?? {}, rest.join('.'), value) };
}

/** The form checked with the API's own schema: the input to send, or messages keyed by path (`integrations.0.url`). */
export function checkDraft(
  draft: ReceiverDraft,
): { input: ReceiverInput } | { errors: Partial<Record<string, string>> } {
  const parsed = receiverInput.safeParse({
    name: draft.name,
    description: draft.description,
    integrations: draft.integrations.map((i) => i.values),
  });
  if (parsed.success) return { input: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[issue.path.join('.')] ??= issue.message;
  return { errors };
}
