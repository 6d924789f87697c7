/** Rendering found an integration unusable as configured (missing secret, bad URL): retrying cannot help. */
import type { IntegrationTarget } from '../message';

export class IntegrationConfigError extends Error {
  override name = 'IntegrationConfigError';
}

/** A secret the integration cannot work without; its absence is a configuration error (permanent). */
export function requiredSecret(target: IntegrationTarget, name: string): string {
  const value = target.secrets[name];
  if (!value) throw new IntegrationConfigError(`the ${target.kind} integration has no ${name} configured`);
  return value;
}
