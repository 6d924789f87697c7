'use client';

import { WORK_ITEM_STATUSES } from '@sextant/db/enums';
import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Button, Checkbox, Input, Label, Select, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { useUrlFilters } from '~/lib/use-url-filters';
import { useTRPC } from '~/trpc/react';
import { ArchivedNote } from '../archived-note';
import { type ItemFilters, NONE, readFilters, toListInput, toSearch } from './filters';
import { ImportDialog } from './import-dialog';
import { BulkStatus, DeleteItemButton, ExportButton } from './item-actions';
import { ItemDialog } from './item-dialog';
import { type Item, type Milestone, type Person, STATUS_LABEL, StatusBadge } from './items-shared';

/** A project's work items: filters, a page at a time; maintainers add, edit, delete, import and set status. */
export function ItemsView({ projectId, role }: { projectId: string; role: Role }) {
  const trpc = useTRPC();
  const { filters, apply, navigating } = useUrlFilters(readFilters, toSearch);
  const project = useSuspenseQuery(trpc.projects.get.queryOptions({ id: projectId }));
  // An archived project's items are read-only (PROJECT_ARCHIVED); export still works.
  const canWrite = roleAtLeast(role, 'maintainer') && !project.data.archivedAt;
  const list = useSuspenseQuery(trpc.workItems.list.queryOptions(toListInput(projectId, filters)));
  const milestones = useSuspenseQuery(trpc.milestones.list.queryOptions({ projectId }));
  const people = useSuspenseQuery(trpc.users.directory.queryOptions());
  const [selected, setSelected] = useState<string[]>([]);
  const items = list.data.items;
  const filter = (change: Partial<ItemFilters>) => {
    setSelected([]);
    apply({ ...filters, ...change, after: undefined });
  };
  const names = new Map(people.data.map((p) => [p.id, p.name]));
  const milestoneNames = new Map(milestones.data.map((m) => [m.id, m.name]));
  const pageIds = items.map((i) => i.id);
  const allSelected = pageIds.length > 0 && pageIds.every((id) => selected.includes(id));

  return (
    <ConsolePage
      title="Work items"
      description={`What ${project.data.name} is made of: its progress counts these items.`}
      action={
        <div className="flex flex-wrap gap-2">
          <ExportButton projectId={projectId} name={project.data.name} />
          {canWrite ? (
            <>
              <ImportDialog projectId={projectId} />
              <ItemDialog projectId={projectId} milestones={milestones.data} people={people.data} />
            </>
          ) : null}
        </div>
      }
      refreshed={[list, milestones]}
    >
      <ArchivedNote archivedAt={project.data.archivedAt} />
      <TableCard
        columns={[
          ...(canWrite ? [{ label: 'Select' }] : []),
          { label: 'Title' },
          { label: 'Estimate', right: true },
          { label: 'Status' },
          { label: 'Milestone' },
          { label: 'Assignee' },
          { label: 'Labels' },
          { label: 'Due' },
          { label: 'Release' },
        ]}
        rowActions={canWrite}
        rows={items.length}
        empty={filters.after ? 'No more items.' : 'No work items match.'}
        busy={navigating}
        testId="work-items"
        toolbar={
          <div className="flex flex-wrap items-center gap-2">
            <Select
              aria-label="Status filter"
              className="w-36"
              value={filters.status ?? ''}
              onChange={(e) => filter({ status: (e.target.value || undefined) as ItemFilters['status'] })}
            >
              <option value="">Any status</option>
              {WORK_ITEM_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </Select>
            <Choice
              label="Milestone filter"
              any="Any milestone"
              none="No milestone"
              value={filters.milestone}
              options={milestones.data}
              onChange={(milestone) => filter({ milestone })}
            />
            <Choice
              label="Assignee filter"
              any="Anyone"
              none="Nobody"
              value={filters.assignee}
              options={people.data}
              onChange={(assignee) => filter({ assignee })}
            />
            <form
              className="flex gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                const label = String(new FormData(e.currentTarget).get('label') ?? '').trim();
                filter({ label: label || undefined });
              }}
            >
              <Input
                name="label"
                aria-label="Label filter"
                placeholder="Label"
                defaultValue={filters.label}
              />
              <Button type="submit" variant="outline">
                Filter
              </Button>
            </form>
            {canWrite && selected.length ? (
              <BulkStatus projectId={projectId} ids={selected} onDone={() => setSelected([])} />
            ) : null}
          </div>
        }
        footer={
          <div className="flex items-center gap-3 text-sm">
            {canWrite && items.length ? (
              <div className="flex items-center gap-2">
                <Checkbox
                  id="select-page"
                  checked={allSelected}
                  onChange={(e) => setSelected(e.target.checked ? pageIds : [])}
                />
                <Label htmlFor="select-page">Select this page</Label>
              </div>
            ) : null}
            {filters.after ? (
              <Link className="hover:underline" href={toSearch({ ...filters, after: undefined })}>
                First page
              </Link>
            ) : null}
            {list.data.nextCursor ? (
              <Link className="hover:underline" href={toSearch({ ...filters, after: list.data.nextCursor })}>
                Next page
              </Link>
            ) : null}
          </div>
        }
      >
        {items.map((i) => (
          <ItemRow
            key={i.id}
            item={i}
            canWrite={canWrite}
            projectId={projectId}
            milestoneName={i.milestoneId ? milestoneNames.get(i.milestoneId) : undefined}
            assignee={i.assigneeUserId ? (names.get(i.assigneeUserId) ?? '(disabled user)') : undefined}
            selected={selected.includes(i.id)}
            onSelect={(on) => setSelected((s) => (on ? [...s, i.id] : s.filter((x) => x !== i.id)))}
            milestones={milestones.data}
            people={people.data}
          />
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function Choice({
  label,
  any,
  none,
  value,
  options,
  onChange,
}: {
  label: string;
  any: string;
  none: string;
  value: string | undefined;
  options: { id: string; name: string }[];
  onChange: (value: string | undefined) => void;
}) {
  return (
    <Select
      aria-label={label}
      className="w-44"
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || undefined)}
    >
      <option value="">{any}</option>
      <option value={NONE}>{none}</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </Select>
  );
}

function ItemRow({
  item: i,
  canWrite,
  projectId,
  milestoneName,
  assignee,
  selected,
  onSelect,
  milestones,
  people,
}: {
  item: Item;
  canWrite: boolean;
  projectId: string;
  milestoneName: string | undefined;
  assignee: string | undefined;
  selected: boolean;
  onSelect: (on: boolean) => void;
  milestones: Milestone[];
  people: Person[];
}) {
  return (
    <TableRow data-testid="work-item-row" data-title={i.title} data-status={i.status}>
      {canWrite ? (
        <TableCell>
          <Checkbox
            aria-label={`Select ${i.title}`}
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
          />
        </TableCell>
      ) : null}
      <TableCell className="max-w-sm font-medium">{i.title}</TableCell>
      <TableCell className="text-right tabular-nums">{i.estimate ?? '–'}</TableCell>
      <TableCell>
        <StatusBadge status={i.status} />
      </TableCell>
      <TableCell className="text-sm">{milestoneName ?? '–'}</TableCell>
      <TableCell className="text-sm">{assignee ?? '–'}</TableCell>
      <TableCell className="text-xs">{i.labels.join(', ')}</TableCell>
      <TableCell className="whitespace-nowrap text-sm tabular-nums">
        {i.dueDate ? (
          <DueDate day={i.dueDate} open={i.status === 'todo' || i.status === 'in_progress'} />
        ) : (
          '–'
        )}
      </TableCell>
      <TableCell className="text-sm">
        {i.release ? (
          <span data-testid="item-release" title={i.release.service}>
            {i.release.version}
          </span>
        ) : (
          '–'
        )}
      </TableCell>
      {canWrite ? (
        <TableCell className="text-right">
          <div className="flex justify-end gap-2">
            <ItemDialog projectId={projectId} item={i} milestones={milestones} people={people} />
            <DeleteItemButton item={i} />
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}

/** A due day; an open item past it reads "overdue" (the day is the viewer's local one, as the date input's). */
function DueDate({ day, open }: { day: string; open: boolean }) {
  const today = new Date().toLocaleDateString('en-CA');
  return open && day < today ? (
    <span className="text-destructive" title="Open and past its due date">
      {day} · overdue
    </span>
  ) : (
    <>{day}</>
  );
}
