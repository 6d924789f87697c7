'use client';

import { CHECK_LIMITS } from '@sextant/trpc/limits';
import { Input, Select, toast } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { CommonCheckFields } from './check-fields';
import { type CheckFormValues, checkField, checkValues, emptyCheck, toCheckInput } from './check-form';
import { HttpFields, TcpFields } from './http-fields';
import type { CheckRow, Environment } from './types';
import { useRefreshServices } from './use-refresh';

function readValues(form: HTMLFormElement, kind: CheckFormValues['kind']): CheckFormValues {
  const data = new FormData(form);
  const text = (key: keyof CheckFormValues) => String(data.get(key) ?? '');
  return {
    kind,
    name: text('name'),
    environmentId: text('environmentId'),
    intervalSeconds: text('intervalSeconds'),
    timeoutMs: text('timeoutMs'),
    failureThreshold: text('failureThreshold'),
    successThreshold: text('successThreshold'),
    latencyThresholdMs: text('latencyThresholdMs'),
    method: text('method'),
    url: text('url'),
    expectedStatus: text('expectedStatus'),
    headers: text('headers'),
    body: text('body'),
    keyword: text('keyword'),
    jsonPath: text('jsonPath'),
    jsonEquals: text('jsonEquals'),
    followRedirects: data.get('followRedirects') === 'on',
    host: text('host'),
    port: text('port'),
  };
}

/** "New check" for a service, or "Edit" for one of its checks when `check` is given. */
export function CheckDialog({
  service,
  check,
  environments,
}: {
  service: string;
  check?: CheckRow;
  environments: Environment[];
}) {
  const trpc = useTRPC();
  const refresh = useRefreshServices();
  const [open, setOpen] = useState(false);
  const initial = check
    ? checkValues(check)
    : emptyCheck((environments.find((e) => e.isProduction) ?? environments[0])?.id ?? '');
  const [kind, setKind] = useState(initial.kind);
  const done = (verb: string) => (row: { name: string }) => {
    toast.success(`${verb} check “${row.name}”.`);
    setOpen(false);
    return refresh();
  };
  const create = useMutation(trpc.checks.create.mutationOptions({ onSuccess: done('Created') }));
  const update = useMutation(trpc.checks.update.mutationOptions({ onSuccess: done('Saved') }));
  const mutation = check ? update : create;

  const { errors, message, accept, clear } = useFormErrors(mutation.error, {
    fieldOf: checkField,
    at: 'check',
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Each opening starts from the saved values, whatever the last attempt (or success) left behind.
    if (next) {
      mutation.reset();
      clear();
      setKind(initial.kind);
    }
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    mutation.reset(); // only the current attempt's problems should show
    const input = accept(toCheckInput(readValues(e.currentTarget, kind)));
    if (!input) return;
    if (check) update.mutate({ id: check.id, check: input });
    else create.mutate({ service, check: input });
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      editing={!!check}
      createLabel="New check"
      title={check ? 'Edit check' : 'New check'}
      description={`${check ? `Changing “${check.name}”. ` : ''}HTTP checks request a URL and assert on the answer; TCP checks open a connection.`}
      wide
      onSubmit={onSubmit}
      message={message}
      submitLabel={check ? 'Save' : 'Create check'}
      pending={mutation.isPending}
    >
      <div className="grid gap-4 sm:grid-cols-[8rem_1fr]">
        <Field id="check-kind" label="Kind">
          {(p) => (
            <Select
              {...p}
              name="kind"
              value={kind}
              onChange={(e) => setKind(e.target.value === 'tcp' ? 'tcp' : 'http')}
            >
              <option value="http">HTTP</option>
              <option value="tcp">TCP</option>
            </Select>
          )}
        </Field>
        <Field id="check-name" label="Name" error={errors.name}>
          {(p) => (
            <Input
              {...p}
              name="name"
              defaultValue={initial.name}
              autoComplete="off"
              placeholder="e.g. health endpoint"
              maxLength={CHECK_LIMITS.nameLength}
            />
          )}
        </Field>
      </div>
      {kind === 'http' ? (
        <HttpFields values={initial} errors={errors} masked={check?.masked} />
      ) : (
        <TcpFields values={initial} errors={errors} />
      )}
      <CommonCheckFields values={initial} errors={errors} environments={environments} />
    </FormDialog>
  );
}
