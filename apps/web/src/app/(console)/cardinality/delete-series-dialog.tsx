'use client';

import { seriesSelectorInput } from '@sextant/trpc/schemas';
import { Button, Input, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { parseLabels } from '~/lib/labels-text';
import type { RouterInputs } from '~/lib/router-types';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Deletes a metric's series carrying the given labels: first a preview (how many, and some of their label
 * sets), then the admin types the metric's name; the delete names the previewed count, so a stale preview fails.
 */
export function DeleteSeriesDialog({ metric }: { metric: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const open = useState(false);
  const [labelsText, setLabelsText] = useState('');
  const [confirm, setConfirm] = useState('');
  const [selector, setSelector] = useState<RouterInputs['cardinality']['previewDelete'] | null>(null);
  const [labelsError, setLabelsError] = useState<string | null>(null);
  const preview = useQuery({
    ...trpc.cardinality.previewDelete.queryOptions(selector ?? { name: metric }),
    enabled: selector !== null,
  });
  const remove = useMutation(
    trpc.cardinality.deleteSeries.mutationOptions({
      onSuccess: ({ series }) => {
        toast.success(`Deleted ${n(series)} series of ${metric}.`);
        open[1](false);
        return queryClient.invalidateQueries({ queryKey: trpc.cardinality.pathKey() });
      },
      // A stale count: show the selection as it is now.
      onError: () => preview.refetch(),
    }),
  );
  const { errors, dialog, submit } = useFormDialog(remove, open, {
    onOpen: () => {
      setLabelsText('');
      setConfirm('');
      setSelector(null);
      setLabelsError(null);
    },
  });

  function showPreview() {
    const labels = parseLabels(labelsText);
    const checked = validate(
      seriesSelectorInput,
      { name: metric, labels: typeof labels === 'string' ? {} : labels },
      inputField,
      typeof labels === 'string' ? { labels } : {},
    );
    setLabelsError('errors' in checked ? (checked.errors.labels ?? 'Check the labels.') : null);
    setSelector('input' in checked ? checked.input : null);
  }

  const counted = selector && preview.data ? preview.data.series : null;
  const ready = counted !== null && counted > 0 && confirm.trim() === metric;

  function onSubmit() {
    if (!selector || counted === null) return;
    const input = submit({ input: { ...selector, expected: counted } });
    if (input && ready) remove.mutate(input);
  }

  return (
    <FormDialog
      {...dialog}
      pending={dialog.pending || !ready}
      wide
      createLabel="Delete series…"
      title={`Delete series of ${metric}`}
      description="Queries and the series limits stop counting them at once; samples sent later start new series. Their stored samples are removed by retention. The deletion is audited."
      onSubmit={onSubmit}
      submitLabel={remove.isPending ? 'Deleting…' : counted ? `Delete ${n(counted)} series` : 'Delete series'}
    >
      <Field
        id="delete-series-labels"
        label="Only series with these labels (optional)"
        hint="key=value pairs, comma separated; empty selects every series of the metric."
        error={labelsError ?? errors.labels}
      >
        {(p) => (
          <div className="flex gap-2">
            <Input
              {...p}
              name="labels"
              autoComplete="off"
              value={labelsText}
              onChange={(e) => {
                setLabelsText(e.target.value);
                // The preview no longer describes what would be deleted.
                setSelector(null);
              }}
            />
            <Button type="button" variant="outline" onClick={showPreview}>
              Preview
            </Button>
          </div>
        )}
      </Field>
      <div data-testid="delete-preview" className="flex flex-col gap-2 text-sm">
        {selector === null ? (
          <p className="text-muted-foreground">Preview the selection to see what would be deleted.</p>
        ) : preview.isError ? (
          <p className="text-destructive">{preview.error.message}</p>
        ) : counted === null ? (
          <p className="text-muted-foreground">Counting…</p>
        ) : counted === 0 ? (
          <p>No series of {metric} carry these labels.</p>
        ) : (
          <>
            <p data-testid="delete-count">
              {n(counted)} series would be deleted
              {counted > preview.data!.samples.length ? `; the first ${preview.data!.samples.length}:` : ':'}
            </p>
            <ul className="max-h-48 overflow-y-auto rounded-md border p-2 font-mono text-xs">
              {preview.data!.samples.map((l) => (
                <li key={JSON.stringify(l)} className="truncate">
                  {Object.entries(l)
                    .map(([k, v]) => `${k}="${v}"`)
                    .join(', ')}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <Field
        id="delete-series-confirm"
        label="Type the metric name to confirm"
        error={errors.confirm}
        hint={counted ? `Type ${metric} to enable the delete.` : undefined}
      >
        {(p) => (
          <Input
            {...p}
            name="confirm"
            autoComplete="off"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        )}
      </Field>
    </FormDialog>
  );
}
