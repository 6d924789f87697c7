'use client';

import { SCRAPE_TARGET_LIMITS as LIMITS } from '@sextant/trpc/limits';
import { Input } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { Field, NumberField } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { EnvironmentField } from './environment-field';
import {
  emptyScrapeTarget,
  readScrapeTarget,
  type ScrapeTarget,
  scrapeTargetField,
  scrapeTargetValues,
  toScrapeTargetInput,
} from './scrape-target-form';
import type { Environment } from './types';
import { useMonitorDialog } from './use-refresh';

/** "New scrape target", or "Edit" for an existing one when `target` is given. */
export function ScrapeTargetDialog({
  service,
  target,
  environments,
}: {
  service: string;
  target?: ScrapeTarget;
  environments: Environment[];
}) {
  const trpc = useTRPC();
  const { open, saved } = useMonitorDialog();
  const initial = target ? scrapeTargetValues(target) : emptyScrapeTarget(environments[0]?.id ?? '');
  const create = useMutation(
    trpc.scrapeTargets.create.mutationOptions({ onSuccess: saved(() => 'Added scrape target.') }),
  );
  const update = useMutation(
    trpc.scrapeTargets.update.mutationOptions({ onSuccess: saved(() => 'Saved scrape target.') }),
  );
  const mutation = target ? update : create;
  const { errors, dialog, submit } = useFormDialog(mutation, open, {
    fieldOf: scrapeTargetField,
    at: 'target',
  });

  function onSubmit(form: HTMLFormElement) {
    const input = submit(toScrapeTargetInput(readScrapeTarget(form)));
    if (!input) return;
    if (target) update.mutate({ id: target.id, target: input });
    else create.mutate({ service, target: input });
  }

  return (
    <FormDialog
      {...dialog}
      editing={!!target}
      createLabel="New scrape target"
      title={target ? 'Edit scrape target' : 'New scrape target'}
      description={
        <>
          A Prometheus <code>/metrics</code> endpoint. Its samples are stored with this service and the
          environment you choose, and show on the service's metrics dashboard.
        </>
      }
      onSubmit={onSubmit}
      submitLabel={target ? 'Save' : 'Add target'}
    >
      <Field
        id="scrape-url"
        label="URL"
        error={errors.url}
        hint={
          target?.masked.length
            ? 'The user name, password and credential-like query values are stored secrets, shown masked: unchanged — type to replace.'
            : 'Basic auth can go in the URL (https://user:password@host/metrics).'
        }
      >
        {(p) => (
          <Input
            {...p}
            name="url"
            defaultValue={initial.url}
            autoComplete="off"
            placeholder="http://orders.internal:9100/metrics"
            className="font-mono"
            maxLength={LIMITS.urlLength}
          />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <EnvironmentField
          id="scrape-environment"
          environments={environments}
          defaultValue={initial.environmentId}
          error={errors.environmentId}
        />
        <NumberField
          id="scrape-interval"
          label="Interval (seconds)"
          name="intervalSeconds"
          range={LIMITS.intervalSeconds}
          defaultValue={initial.intervalSeconds}
          error={errors.intervalSeconds}
        />
        <NumberField
          id="scrape-timeout"
          label="Timeout (ms)"
          name="timeoutMs"
          range={LIMITS.timeoutMs}
          defaultValue={initial.timeoutMs}
          error={errors.timeoutMs}
        />
      </div>
      <Field
        id="scrape-drop-prefix"
        label="Drop metric name prefix (optional)"
        error={errors.dropPrefix}
        hint="e.g. myapp_: myapp_http_requests_total is stored as http_requests_total, a name the dashboard charts."
      >
        {(p) => (
          <Input
            {...p}
            name="dropPrefix"
            defaultValue={initial.dropPrefix}
            autoComplete="off"
            placeholder="myapp_"
            className="font-mono"
            maxLength={LIMITS.dropPrefixLength}
          />
        )}
      </Field>
      <Field
        id="scrape-labels"
        label="Extra labels (optional)"
        error={errors.labels}
        hint="key=value, comma separated; added to every series from this endpoint."
      >
        {(p) => (
          <Input
            {...p}
            name="labels"
            defaultValue={initial.labels}
            autoComplete="off"
            placeholder="region=eu, team=payments"
            className="font-mono"
          />
        )}
      </Field>
    </FormDialog>
  );
}
