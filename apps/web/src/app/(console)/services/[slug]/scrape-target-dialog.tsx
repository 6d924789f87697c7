'use client';

import { SCRAPE_TARGET_LIMITS as LIMITS } from '@sextant/trpc/limits';
import { Input, Select, toast } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { NumberInput } from '~/components/number-input';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import {
  emptyScrapeTarget,
  type ScrapeTarget,
  type ScrapeTargetFormValues,
  scrapeTargetField,
  scrapeTargetValues,
  toScrapeTargetInput,
} from './scrape-target-form';
import type { Environment } from './types';
import { useRefreshServices } from './use-refresh';

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
  const refresh = useRefreshServices();
  const [open, setOpen] = useState(false);
  const initial = target ? scrapeTargetValues(target) : emptyScrapeTarget(environments[0]?.id ?? '');
  const done = (verb: string) => () => {
    toast.success(`${verb} scrape target.`);
    setOpen(false);
    return refresh();
  };
  const create = useMutation(trpc.scrapeTargets.create.mutationOptions({ onSuccess: done('Added') }));
  const update = useMutation(trpc.scrapeTargets.update.mutationOptions({ onSuccess: done('Saved') }));
  const mutation = target ? update : create;

  const { errors, message, accept, clear } = useFormErrors(mutation.error, {
    fieldOf: scrapeTargetField,
    at: 'target',
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Each opening starts from the saved values, whatever the last attempt left behind.
    if (next) {
      mutation.reset();
      clear();
    }
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    mutation.reset();
    const data = new FormData(e.currentTarget);
    const text = (key: keyof ScrapeTargetFormValues) => String(data.get(key) ?? '');
    const input = accept(
      toScrapeTargetInput({
        url: text('url'),
        environmentId: text('environmentId'),
        intervalSeconds: text('intervalSeconds'),
        timeoutMs: text('timeoutMs'),
        labels: text('labels'),
        dropPrefix: text('dropPrefix'),
      }),
    );
    if (!input) return;
    if (target) update.mutate({ id: target.id, target: input });
    else create.mutate({ service, target: input });
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
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
      message={message}
      submitLabel={target ? 'Save' : 'Add target'}
      pending={mutation.isPending}
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
        <Field id="scrape-environment" label="Environment" error={errors.environmentId}>
          {(p) => (
            <Select {...p} name="environmentId" defaultValue={initial.environmentId}>
              {environments.map((env) => (
                <option key={env.id} value={env.id}>
                  {env.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="scrape-interval" label="Interval (seconds)" error={errors.intervalSeconds}>
          {(p) => (
            <NumberInput
              control={p}
              name="intervalSeconds"
              range={LIMITS.intervalSeconds}
              defaultValue={initial.intervalSeconds}
            />
          )}
        </Field>
        <Field id="scrape-timeout" label="Timeout (ms)" error={errors.timeoutMs}>
          {(p) => (
            <NumberInput
              control={p}
              name="timeoutMs"
              range={LIMITS.timeoutMs}
              defaultValue={initial.timeoutMs}
            />
          )}
        </Field>
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
