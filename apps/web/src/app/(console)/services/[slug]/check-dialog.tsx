'use client';

import { CHECK_LIMITS } from '@sextant/trpc/limits';
import { Input, Select } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { CommonCheckFields } from './check-fields';
import { checkField, checkValues, emptyCheck, readCheck, toCheckInput } from './check-form';
import { HttpFields, TcpFields } from './http-fields';
import type { Check, Environment } from './types';
import { useMonitorDialog } from './use-refresh';

/** "New check" for a service, or "Edit" for one of its checks when `check` is given. */
export function CheckDialog({
  service,
  check,
  environments,
}: {
  service: string;
  check?: Check;
  environments: Environment[];
}) {
  const trpc = useTRPC();
  const { open, saved } = useMonitorDialog();
  const initial = check
    ? checkValues(check)
    : emptyCheck((environments.find((e) => e.isProduction) ?? environments[0])?.id ?? '');
  const [kind, setKind] = useState(initial.kind);
  const create = useMutation(
    trpc.checks.create.mutationOptions({ onSuccess: saved((c) => `Created check “${c.name}”.`) }),
  );
  const update = useMutation(
    trpc.checks.update.mutationOptions({ onSuccess: saved((c) => `Saved check “${c.name}”.`) }),
  );
  const mutation = check ? update : create;
  const { errors, dialog, submit } = useFormDialog(mutation, open, {
    fieldOf: checkField,
    at: 'check',
    onOpen: () => setKind(initial.kind),
  });

  function onSubmit(form: HTMLFormElement) {
    const input = submit(toCheckInput(readCheck(form, kind)));
    if (!input) return;
    if (check) update.mutate({ id: check.id, check: input });
    else create.mutate({ service, check: input });
  }

  return (
    <FormDialog
      {...dialog}
      editing={!!check}
      createLabel="New check"
      title={check ? 'Edit check' : 'New check'}
      description={`${check ? `Changing “${check.name}”. ` : ''}HTTP checks request a URL and assert on the answer; TCP checks open a connection.`}
      wide
      onSubmit={onSubmit}
      submitLabel={check ? 'Save' : 'Create check'}
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
