'use client';

import { deleteSeriesInput } from '@sextant/trpc/schemas';
import { Input, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { parseLabels } from '~/lib/labels-text';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

/** Deletes a metric's series carrying the given labels, after the admin types the metric's name. */
export function DeleteSeriesDialog({ metric }: { metric: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const open = useState(false);
  const remove = useMutation(
    trpc.cardinality.deleteSeries.mutationOptions({
      onSuccess: ({ series }) => {
        toast.success(`Deleted ${series.toLocaleString('en-US')} series of ${metric}.`);
        open[1](false);
        return queryClient.invalidateQueries({ queryKey: trpc.cardinality.pathKey() });
      },
    }),
  );
  const { errors, dialog, submit } = useFormDialog(remove, open);

  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, ['labels', 'confirm']);
    const labels = parseLabels(text.labels);
    const problems = {
      ...(typeof labels === 'string' ? { labels } : {}),
      ...(text.confirm.trim() === metric ? {} : { confirm: `Type ${metric} to confirm.` }),
    };
    const input = submit(
      validate(
        deleteSeriesInput,
        { name: metric, labels: typeof labels === 'string' ? {} : labels },
        inputField,
        problems,
      ),
    );
    if (input) remove.mutate(input);
  }

  return (
    <FormDialog
      {...dialog}
      createLabel="Delete series…"
      title={`Delete series of ${metric}`}
      description="Queries and the series limit stop counting them at once; samples sent later start new series. Their stored samples are removed by retention. The deletion is audited."
      onSubmit={onSubmit}
      submitLabel={remove.isPending ? 'Deleting…' : 'Delete series'}
    >
      <Field
        id="delete-series-labels"
        label="Only series with these labels (optional)"
        hint="key=value pairs, comma separated; empty deletes every series of the metric."
        error={errors.labels}
      >
        {(p) => <Input {...p} name="labels" autoComplete="off" />}
      </Field>
      <Field id="delete-series-confirm" label="Type the metric name to confirm" error={errors.confirm}>
        {(p) => <Input {...p} name="confirm" autoComplete="off" />}
      </Field>
    </FormDialog>
  );
}
