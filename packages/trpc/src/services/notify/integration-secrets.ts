/**
 * An integration as the form sends it ↔ as it is stored (non-secret settings + secrets) ↔ as anyone may see it.
 * The secret rules are the checks' (schemas/secrets.ts): answers show SECRET_MASK, a mask sent back keeps the
 * stored value, but only while the secret would still go where it was typed for.
 */
import type { IntegrationKind, IntegrationSettings } from '@sextant/db';
import { AppError } from '../../errors';
import { INTEGRATION_SECRET_FIELDS, type IntegrationInput } from '../../schemas/receivers';
import { maskConfig, restoreSecrets, SECRET_MASK } from '../../schemas/secrets';
import { urlTarget } from '../settings';

export type Secrets = Record<string, string>;
type Path = readonly (string | number)[];

export interface StoredIntegration {
  id: string;
  kind: IntegrationKind;
  sendResolved: boolean;
  settings: IntegrationSettings;
  secrets: Secrets;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Where an integration's secrets are sent: a kept secret must still go there. */
function destinationOf(kind: IntegrationKind, fields: object): string | null {
  if (kind === 'webhook' || kind === 'pagerduty') return originOf(String((fields as { url?: unknown }).url));
  if (kind === 'email') {
    const { host, port } = (fields as { smarthost: unknown }).smarthost as { host: string; port: number };
    return `${host.toLowerCase()}:${port}`;
  }
  return 'the URL itself'; // Slack, Teams, Discord: the secret is the whole URL.
}

/** The webhook URL with its credentials, as stored: in the secrets when it has any, else in the settings. */
function fullUrl(stored: StoredIntegration): string | null {
  if (stored.settings.kind !== 'webhook') return null;
  return stored.secrets.url ?? stored.settings.url;
}

/** The input with every SECRET_MASK replaced by the stored value; refused where none may be kept. */
export function restoreIntegration(
  input: IntegrationInput,
  stored: StoredIntegration | null,
  path: Path,
): IntegrationInput {
  const same = stored?.kind === input.kind ? stored : null;
  const out: Record<string, unknown> = { ...input };
  if (input.kind === 'webhook') {
    try {
      out.url = restoreSecrets({ url: input.url }, same ? { url: fullUrl(same) } : null).url;
    } catch (err) {
      throw err instanceof AppError ? new AppError(err.appCode, err.message, [...path, 'url']) : err;
    }
  }
  const movedTo = same && destinationOf(same.kind, same.settings) !== destinationOf(input.kind, input);
  for (const field of INTEGRATION_SECRET_FIELDS[input.kind]) {
    if (out[field] !== SECRET_MASK) continue;
    const kept = same?.secrets[field];
    if (kept === undefined)
      throw new AppError('VALIDATION_FAILED', `No stored value to keep: type the ${field} again.`, [
        ...path,
        field,
      ]);
    if (movedTo)
      throw new AppError(
        'VALIDATION_FAILED',
        `The destination changed, so the stored ${field} is not sent there: type it again or remove it.`,
        [...path, field],
      );
    out[field] = kept;
  }
  return out as IntegrationInput;
}

/** Splits a restored input into the non-secret settings (jsonb) and the secrets (encrypted). */
export function splitIntegration(input: IntegrationInput): {
  settings: IntegrationSettings;
  secrets: Secrets;
} {
  const { id: _id, sendResolved: _s, ...fields } = input;
  const secrets: Secrets = {};
  const settings: Record<string, unknown> = { ...fields };
  for (const field of INTEGRATION_SECRET_FIELDS[input.kind]) {
    const value = settings[field];
    delete settings[field];
    if (typeof value === 'string' && value !== '') secrets[field] = value;
  }
  if (input.kind === 'webhook') {
    const { config, masked } = maskConfig({ url: input.url });
    settings.url = config.url;
    if (masked.length > 0) secrets.url = input.url;
  }
  for (const [k, v] of Object.entries(settings)) if (v === undefined) delete settings[k];
  return { settings: settings as unknown as IntegrationSettings, secrets };
}

/** An integration as every role sees it: the form's fields with SECRET_MASK (or null) in place of each secret. */
export function presentIntegration(row: {
  id: string;
  kind: IntegrationKind;
  sendResolved: boolean;
  settings: IntegrationSettings;
  secretKeys: string[];
}) {
  const masks = Object.fromEntries(
    INTEGRATION_SECRET_FIELDS[row.kind].map((f) => [f, row.secretKeys.includes(f) ? SECRET_MASK : null]),
  );
  return {
    ...row.settings,
    ...masks,
    id: row.id,
    kind: row.kind,
    sendResolved: row.sendResolved,
    secretKeys: row.secretKeys,
  };
}

/** Names of the secrets that differ: the audit says which changed, never to what. */
export function changedSecrets(before: Secrets, after: Secrets): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
}

/** The host and port an integration connects to first, and the input field naming it (for the deny list). */
export function integrationHost(
  input: IntegrationInput,
): { host: string; port: number; field: string } | null {
  if (input.kind === 'email') return { ...input.smarthost, field: 'smarthost' };
  const [url, field] = 'url' in input ? [input.url, 'url'] : [input.webhookUrl, 'webhookUrl'];
  const target = urlTarget(url);
  return target && { ...target, field };
}
