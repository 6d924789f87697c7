'use client';

import { MAINTENANCE_LIMITS } from '@sextant/trpc/limits';
import { Button, FieldError, Select } from '@sextant/ui';
import type { InputIssue } from '~/lib/field-errors';
import type { RouterOutputs } from '~/lib/router-types';

export interface TargetRow {
  serviceId: string;
  environmentId: string;
}

/** The services × environments a window covers: one row per pair, each with its own error. */
export function TargetsFields({
  rows,
  onChange,
  services,
  environments,
  issues,
  error,
}: {
  rows: TargetRow[];
  onChange: (rows: TargetRow[]) => void;
  services: RouterOutputs['services']['list'];
  environments: RouterOutputs['environments']['list'];
  issues: readonly InputIssue[];
  error: string | null;
}) {
  const rowError = (index: number) =>
    issues.find((i) => i.path[0] === 'targets' && Number(i.path[1]) === index)?.message ?? null;
  const setRow = (index: number, change: Partial<TargetRow>) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const firstEnvironment = environments[0]?.id ?? '';
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">Affected services</legend>
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own until saved.
        <div key={index} className="flex flex-col gap-1" data-testid="target-row">
          <div className="grid gap-2 sm:grid-cols-[2fr_1fr_auto]">
            <Select
              aria-label={`Affected service ${index + 1}`}
              aria-invalid={!!rowError(index)}
              value={row.serviceId}
              onChange={(e) => setRow(index, { serviceId: e.target.value })}
            >
              <option value="">Pick a service…</option>
              {services.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
            <Select
              aria-label={`Environment ${index + 1}`}
              value={row.environmentId}
              onChange={(e) => setRow(index, { environmentId: e.target.value })}
            >
              {environments.map((env) => (
                <option key={env.id} value={env.id}>
                  {env.name}
                </option>
              ))}
            </Select>
            <Button
              type="button"
              variant="outline"
              aria-label={`Remove affected service ${index + 1}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
          </div>
          {rowError(index) ? <FieldError>{rowError(index)}</FieldError> : null}
        </div>
      ))}
      {error && !rows.some((_, i) => rowError(i)) ? <FieldError>{error}</FieldError> : null}
      <Button
        type="button"
        variant="outline"
        className="w-fit"
        disabled={rows.length >= MAINTENANCE_LIMITS.targets || !firstEnvironment}
        onClick={() => onChange([...rows, { serviceId: '', environmentId: firstEnvironment }])}
      >
        Add affected service
      </Button>
      {services.total > services.items.length ? (
        <p className="text-xs text-muted-foreground">
          Only the first {services.items.length} services by name are offered.
        </p>
      ) : null}
    </fieldset>
  );
}
