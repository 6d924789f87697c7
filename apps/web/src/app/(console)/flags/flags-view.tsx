'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { FLAG_LIMITS } from '@sextant/trpc/limits';
import { Badge, Button, Input, TableCell, TableHead, TableRow } from '@sextant/ui';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { ConsolePage } from '~/components/page-header';
import { RelativeTime } from '~/components/relative-time';
import { SectionCard } from '~/components/section-card';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { FlagSwitch } from './flag-switch';
import { LIST_INPUT } from './list-input';
import { NewFlagDialog } from './new-flag-dialog';

export const LIFECYCLE_TONE = { active: 'success', stale: 'warning', archived: 'neutral' } as const;

/** Issue 18 point 3: every flag with its state per environment (in environment order), filters, stale ones. */
export function FlagsView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const canWrite = roleAtLeast(role, 'maintainer');
  const [filters, setFilters] = useState<{ search?: string; tag?: string; archived: boolean }>(LIST_INPUT);
  const [busy, startTransition] = useTransition();
  const list = useSuspenseQuery(trpc.flags.list.queryOptions(filters));
  const stale = useSuspenseQuery(trpc.flags.staleReport.queryOptions());
  const people = useQuery(trpc.users.directory.queryOptions());
  const ownerName = (id: string | null) =>
    id ? (people.data?.find((u) => u.id === id)?.name ?? 'unknown user') : '—';
  const environments = list.data[0]?.environments.map((e) => e.environment) ?? [];
  const filtered = Boolean(filters.search || filters.tag);
  return (
    <ConsolePage
      title="Flags"
      description="Feature flags per environment: who gets what, evaluated by the API, OFREP and the in-process client alike."
      action={canWrite ? <NewFlagDialog /> : null}
      refreshed={[list, stale]}
    >
      <TableCard
        testId="flag-list"
        rows={list.data.length}
        busy={busy}
        empty={
          filtered
            ? 'No flag matches these filters.'
            : filters.archived
              ? 'No archived flags.'
              : 'No flags yet.'
        }
        toolbar={
          <form
            className="flex flex-wrap items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const text = (k: string) => String(data.get(k) ?? '').trim() || undefined;
              const next = {
                search: text('search'),
                tag: text('tag'),
                archived: data.get('archived') === 'on',
              };
              startTransition(() => setFilters(next));
            }}
          >
            <Input
              name="search"
              aria-label="Search flags"
              placeholder="Key or description"
              maxLength={FLAG_LIMITS.searchLength}
              className="max-w-xs"
            />
            <Input
              name="tag"
              aria-label="Tag"
              placeholder="Tag"
              maxLength={FLAG_LIMITS.tagLength}
              className="max-w-40"
            />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="archived" /> Archived
            </label>
            <Button type="submit" variant="outline">
              Filter
            </Button>
          </form>
        }
        head={
          <>
            <TableHead>Flag</TableHead>
            {environments.map((env) => (
              <TableHead key={env}>{env}</TableHead>
            ))}
            <TableHead>Type</TableHead>
            <TableHead>Owner</TableHead>
            <TableHead>Tags</TableHead>
            <TableHead>Lifecycle</TableHead>
          </>
        }
      >
        {list.data.map((f) => (
          <TableRow key={f.id} data-testid="flag-row" data-flag={f.key}>
            <TableCell className="font-medium">
              <Link href={`/flags/${encodeURIComponent(f.key)}`} className="font-mono hover:underline">
                {f.key}
              </Link>
              {f.description ? (
                <div className="max-w-xs truncate text-xs text-muted-foreground">{f.description}</div>
              ) : null}
            </TableCell>
            {f.environments.map((e) => (
              <TableCell key={e.environment}>
                <FlagSwitch
                  flagKey={f.key}
                  environment={e.environment}
                  enabled={e.enabled}
                  canToggle={canWrite && !f.archivedAt}
                />
              </TableCell>
            ))}
            <TableCell>{f.type}</TableCell>
            <TableCell className="text-sm">{ownerName(f.owner)}</TableCell>
            <TableCell>
              <div className="flex flex-wrap gap-1">
                {f.tags.map((t) => (
                  <button
                    key={t}
                    type="button"
                    className="rounded-md border px-1.5 text-xs hover:bg-muted"
                    title={`Only flags tagged ${t}`}
                    onClick={() => startTransition(() => setFilters((c) => ({ ...c, tag: t })))}
                  >
                    {t}
                  </button>
                ))}
              </div>
            </TableCell>
            <TableCell>
              <Badge tone={LIFECYCLE_TONE[f.lifecycle]}>{f.lifecycle}</Badge>
            </TableCell>
          </TableRow>
        ))}
      </TableCard>
      <SectionCard
        title="Stale flags"
        description="Neither changed nor evaluated for longer than their own limit: remove them from the code, then archive them."
        testId="stale-flags"
      >
        {stale.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No stale flags.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {stale.data.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center gap-2">
                <Link href={`/flags/${encodeURIComponent(f.key)}`} className="font-mono hover:underline">
                  {f.key}
                </Link>
                <span className="text-muted-foreground">
                  idle {f.idleDays} days (limit {f.staleAfterDays}), owner {ownerName(f.owner)}, last change{' '}
                  <RelativeTime value={f.lastChangedAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </SectionCard>
    </ConsolePage>
  );
}
