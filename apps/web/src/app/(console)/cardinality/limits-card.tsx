'use client';

import { LIMIT_SCOPES, SERIES_LIMIT_BOUNDS, setLimitInput } from '@sextant/trpc/schemas';
import { Button, Input, Select, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Field } from '~/components/field';
import { TableCard } from '~/components/table-card';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

type Overview = RouterOutputs['cardinality']['overview'];

/** The admins' overrides of the series limits, and a form to set one for a metric or a service. */
export function LimitsCard({ overrides, limits }: Pick<Overview, 'overrides' | 'limits'>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.cardinality.pathKey() });
  const set = useMutation(
    trpc.cardinality.setLimit.mutationOptions({
      onSuccess: (l) => {
        toast.success(`The ${l.scope} ${l.key} may have ${l.maxSeries.toLocaleString('en-US')} series.`);
        return refresh();
      },
    }),
  );
  const clear = useMutation(
    trpc.cardinality.clearLimit.mutationOptions({
      onSuccess: (l) => {
        toast.success(`The ${l.scope} ${l.key} is back to the default limit.`);
        return refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const { errors, message, accept } = useFormErrors(set.error);
  const fallback = { metric: limits.perMetric, service: limits.perService };

  function onSubmit(form: HTMLFormElement) {
    set.reset();
    const text = readForm(form, ['scope', 'key', 'maxSeries']);
    const maxSeries = text.maxSeries.trim() === '' ? Number.NaN : Number(text.maxSeries.replaceAll(',', ''));
    const scope = LIMIT_SCOPES.find((s) => s === text.scope) ?? 'metric';
    const input = accept(validate(setLimitInput, { scope, key: text.key, maxSeries }, inputField));
    if (input) set.mutate(input, { onSuccess: () => form.reset() });
  }

  return (
    <TableCard
      title="Series limits"
      description={`A limit set here replaces the default (${fallback.metric.toLocaleString('en-US')} per metric, ${fallback.service.toLocaleString('en-US')} per service) for one metric or one service label; batches are checked against it at once. Changes are audited.`}
      columns={[
        { label: 'Applies to' },
        { label: 'Name' },
        { label: 'Limit', right: true },
        { label: 'Default', right: true },
        { label: 'Set' },
      ]}
      rowActions
      rows={overrides.length}
      empty="No overrides: every metric and service has the default limit."
      testId="cardinality-limits"
      footer={
        <form
          className="flex flex-wrap items-end gap-2"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit(e.currentTarget);
          }}
        >
          <Field id="limit-scope" label="Applies to" error={errors.scope}>
            {(p) => (
              <Select {...p} name="scope" defaultValue="metric">
                {LIMIT_SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            id="limit-key"
            label="Metric or service"
            error={errors.key}
            className="flex flex-1 flex-col gap-1.5"
          >
            {(p) => <Input {...p} name="key" autoComplete="off" placeholder="e.g. http_requests_total" />}
          </Field>
          <Field id="limit-max" label="Max series" error={errors.maxSeries ?? message}>
            {(p) => (
              <Input
                {...p}
                name="maxSeries"
                inputMode="numeric"
                autoComplete="off"
                placeholder={`${SERIES_LIMIT_BOUNDS.min}–${SERIES_LIMIT_BOUNDS.max.toLocaleString('en-US')}`}
              />
            )}
          </Field>
          <Button type="submit" disabled={set.isPending}>
            Set limit
          </Button>
        </form>
      }
    >
      {overrides.map((l) => (
        <TableRow
          key={`${l.scope}:${l.key}`}
          data-testid="cardinality-limit"
          data-name={`${l.scope}:${l.key}`}
        >
          <TableCell>{l.scope}</TableCell>
          <TableCell className="font-mono text-sm">{l.key}</TableCell>
          <TableCell className="text-right tabular-nums" data-testid="max-series">
            {l.maxSeries.toLocaleString('en-US')}
          </TableCell>
          <TableCell className="text-right tabular-nums text-muted-foreground">
            {fallback[l.scope].toLocaleString('en-US')}
          </TableCell>
          <TableCell className="text-sm text-muted-foreground">
            <LocalTime value={l.updatedAt} />
          </TableCell>
          <TableCell className="text-right">
            <Button
              size="sm"
              variant="outline"
              disabled={clear.isPending}
              onClick={() => clear.mutate({ scope: l.scope, key: l.key })}
              aria-label={`Clear the limit of ${l.scope} ${l.key}`}
            >
              Clear
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
