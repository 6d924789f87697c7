'use client';

import { WORK_ITEM_STATUSES, type WorkItemStatus } from '@sextant/db/enums';
import { Button, Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { useTRPC } from '~/trpc/react';
import { type Item, STATUS_LABEL } from './items-shared';

export function DeleteItemButton({ item }: { item: Item }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.workItems.delete.mutationOptions({
      onSuccess: () => {
        toast.success('Item deleted.');
        setOpen(false);
        return queryClient.invalidateQueries({ queryKey: trpc.workItems.pathKey() });
      },
    }),
  );
  return (
    <ConfirmButton
      label="Delete"
      variant="destructive"
      title="Delete this item?"
      description={`“${item.title}” leaves the project's scope; the audit log keeps what it was.`}
      action={remove}
      onConfirm={() => remove.mutate({ id: item.id })}
      open={open}
      onOpenChange={setOpen}
    />
  );
}

/** One status for every selected item of this page (at most one page, so within the API's bound). */
export function BulkStatus({
  projectId,
  ids,
  onDone,
}: {
  projectId: string;
  ids: string[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<WorkItemStatus>('done');
  const set = useMutation(
    trpc.workItems.setStatus.mutationOptions({
      onSuccess: () => {
        toast.success(`${ids.length} item${ids.length === 1 ? '' : 's'} set to ${STATUS_LABEL[status]}.`);
        onDone();
        return queryClient.invalidateQueries({ queryKey: trpc.workItems.pathKey() });
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <div className="flex items-center gap-2" data-testid="bulk-status">
      <span className="text-sm text-muted-foreground">{ids.length} selected</span>
      <Select
        aria-label="New status"
        className="w-36"
        value={status}
        onChange={(e) => setStatus(e.target.value as WorkItemStatus)}
      >
        {WORK_ITEM_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </Select>
      <Button
        size="sm"
        disabled={ids.length === 0 || set.isPending}
        onClick={() => set.mutate({ projectId, ids, status })}
      >
        Set status
      </Button>
    </div>
  );
}

/** Downloads `workItems.exportCsv` (read fresh) as a file; formula cells come escaped by the API. */
export function ExportButton({ projectId, name }: { projectId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    try {
      const data = await queryClient.fetchQuery({
        ...trpc.workItems.exportCsv.queryOptions({ projectId }),
        staleTime: 0,
      });
      const url = URL.createObjectURL(new Blob([data.csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name.replace(/[^\w.-]+/g, '-').toLowerCase() || 'project'}-work-items.csv`;
      a.click();
      URL.revokeObjectURL(url);
      if (data.truncated) toast.warning(`Only the first ${data.count} items were exported.`);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : 'The export failed.');
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button variant="outline" disabled={busy} onClick={() => void download()}>
      Export CSV
    </Button>
  );
}
