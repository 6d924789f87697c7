'use client';

import { IMPORT_FORMATS } from '@sextant/trpc/schemas';
import { Button, Label, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ActionDialog, DialogActions } from '~/components/action-dialog';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { ImportReport, type RejectedRow } from './import-report';

type Format = (typeof IMPORT_FORMATS)[number];
const FORMAT_LABEL: Record<Format, string> = {
  csv: 'CSV (title, estimate, status, milestone, assignee, labels, due)',
  github: 'GitHub issues JSON (gh issue list --json number,title,state,labels,assignees,milestone,url)',
};

/** The rows of a refused import (`WORK_ITEM_IMPORT_REJECTED`), from the error's `data.details`. */
function refusedRows(error: unknown): { rows: RejectedRow[]; total: number } | null {
  const details = (error as { data?: { details?: { rejected?: number; rows?: RejectedRow[] } } } | null)?.data
    ?.details;
  return details?.rows ? { rows: details.rows, total: details.rejected ?? details.rows.length } : null;
}

/**
 * Choose a file or paste, Preview (writes nothing), then Import: enabled only when the preview of exactly this
 * content rejected no row. A refused import shows the same row report; nothing is half-imported either way.
 */
export function ImportDialog({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<Format>('csv');
  const [content, setContent] = useState('');
  const [previewed, setPreviewed] = useState<string | null>(null);
  const preview = useMutation(
    trpc.workItems.importPreview.mutationOptions({ onSuccess: (_, input) => setPreviewed(input.content) }),
  );
  const run = useMutation(
    trpc.workItems.import.mutationOptions({
      onSuccess: (result) => {
        toast.success(`Imported ${result.created} item${result.created === 1 ? '' : 's'}.`);
        setOpen(false);
        return queryClient.invalidateQueries({ queryKey: trpc.workItems.pathKey() });
      },
    }),
  );
  const reset = () => {
    preview.reset();
    run.reset();
    setPreviewed(null);
  };
  const change = (next: string) => {
    setContent(next);
    reset();
  };
  async function choose(file: File | undefined) {
    if (!file) return;
    if (/\.json$/i.test(file.name)) setFormat('github');
    else if (/\.csv$/i.test(file.name)) setFormat('csv');
    change(await file.text());
  }

  const fresh = preview.data && previewed === content ? preview.data : undefined;
  const refused = refusedRows(run.error);
  const rejected = refused ?? {
    rows: fresh?.rows.filter((r) => r.errors.length) ?? [],
    total: fresh?.rejected ?? 0,
  };
  const message = (refused ? null : run.error?.message) ?? preview.error?.message ?? null;
  const canImport = !!fresh && fresh.rejected === 0 && fresh.accepted > 0 && !run.isPending;

  return (
    <ActionDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setContent('');
          reset();
        }
      }}
      trigger={
        <Button variant="outline" disabled={!hydrated}>
          Import
        </Button>
      }
      className="max-h-[90vh] max-w-4xl overflow-y-auto"
      title="Import work items"
      description="All rows or none: a file with any rejected row imports nothing. Preview first; it writes nothing."
    >
      <div className="flex flex-col gap-4">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="import-format">Format</Label>
          <Select
            id="import-format"
            value={format}
            onChange={(e) => {
              setFormat(e.target.value as Format);
              reset();
            }}
          >
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="import-file">File</Label>
          <input
            id="import-file"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            className="text-sm"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="import-content">Or paste it</Label>
          <Textarea
            id="import-content"
            rows={6}
            className="font-mono text-xs"
            value={content}
            onChange={(e) => change(e.target.value)}
            placeholder={
              format === 'csv' ? 'title,estimate,status,milestone,assignee,labels,due' : '[{"title": …}]'
            }
          />
        </div>
        {fresh || refused ? (
          <ImportReport rejected={rejected.rows} total={rejected.total} preview={fresh} />
        ) : null}
        <DialogActions message={message}>
          <Button
            type="button"
            variant="outline"
            disabled={!content || preview.isPending}
            onClick={() => {
              run.reset();
              preview.mutate({ projectId, format, content });
            }}
          >
            {preview.isPending ? 'Checking…' : 'Preview'}
          </Button>
          <Button
            type="button"
            disabled={!canImport}
            onClick={() => run.mutate({ projectId, format, content })}
          >
            {run.isPending ? 'Importing…' : fresh ? `Import ${fresh.accepted} items` : 'Import'}
          </Button>
        </DialogActions>
      </div>
    </ActionDialog>
  );
}
