'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button, Input, TableCell, TableHead, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConsolePage } from '~/components/page-header';
import { RelativeTime } from '~/components/relative-time';
import { TableCard } from '~/components/table-card';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { FIRST_PAGE } from './board-input';
import { ApproveButton, OverrideButton, PromoteButton } from './cell-actions';

type Board = RouterOutputs['releases']['board'];
type Cell = Board['items'][number]['cells'][number];

const STATE_TONE = { queued: 'neutral', in_progress: 'info', succeeded: 'success' } as const;

/** Issue 16 point 5: services × environments with what runs where, drift and one-click promotion. */
export function ReleasesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const input =
    search || cursors.length
      ? { ...FIRST_PAGE, search: search || undefined, cursor: cursors.at(-1) }
      : FIRST_PAGE;
  const board = useSuspenseQuery(trpc.releases.board.queryOptions(input));
  const { environments, items, nextCursor } = board.data;
  const canPromote = roleAtLeast(role, 'maintainer');
  const isAdmin = role === 'admin';
  return (
    <ConsolePage
      title="Releases"
      description="What runs where: the latest successful deployment of each service in each environment, what is on its way, and drift from the environment before."
      refreshed={[board]}
    >
      <TableCard
        testId="release-board"
        rows={items.length}
        empty={search ? `No service matches “${search}”.` : 'No services yet.'}
        head={
          <>
            <TableHead>Service</TableHead>
            {environments.map((e) => (
              <TableHead key={e.id}>
                {e.name}
                {e.requiresApproval ? (
                  <span className="ml-1 text-xs text-muted-foreground">(approval)</span>
                ) : null}
              </TableHead>
            ))}
          </>
        }
        toolbar={
          <form
            className="flex max-w-sm gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const value = new FormData(e.currentTarget).get('search');
              setCursors([]);
              setSearch(typeof value === 'string' ? value.trim().slice(0, 100) : '');
            }}
          >
            <Input name="search" aria-label="Search services" placeholder="Search services" maxLength={100} />
            <Button type="submit" variant="outline">
              Search
            </Button>
          </form>
        }
        footer={
          cursors.length || nextCursor ? (
            <div className="flex justify-end gap-2">
              <Button
                variant="outline"
                disabled={!cursors.length}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                Previous
              </Button>
              <Button
                variant="outline"
                disabled={!nextCursor}
                onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
              >
                Next
              </Button>
            </div>
          ) : null
        }
      >
        {items.map((s) => (
          <TableRow key={s.id} data-testid="board-row" data-service={s.slug}>
            <TableCell className="font-medium">
              <Link href={`/services/${s.slug}`} className="hover:underline">
                {s.name}
              </Link>
              <div className="text-xs text-muted-foreground">{s.slug}</div>
            </TableCell>
            {s.cells.map((cell, i) => (
              <TableCell
                key={cell.environment}
                className="align-top"
                data-testid="board-cell"
                data-env={cell.environment}
              >
                <CellBody
                  cell={cell}
                  nextEnv={environments[i + 1]?.name ?? null}
                  head={i > 0 ? (s.cells[0]?.current ?? null) : null}
                  canPromote={canPromote}
                  isAdmin={isAdmin}
                />
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function CellBody({
  cell,
  nextEnv,
  head,
  canPromote,
  isAdmin,
}: {
  cell: Cell;
  nextEnv: string | null;
  /** What the first environment runs: an admin may push it here out of order, with a reason. */
  head: Cell['current'];
  canPromote: boolean;
  isAdmin: boolean;
}) {
  const { current, next, drift } = cell;
  return (
    <div
      className={
        drift ? 'flex flex-col gap-1 rounded-md border border-warning/60 p-2' : 'flex flex-col gap-1 p-2'
      }
    >
      {current ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm" data-testid="cell-version">
            {current.version}
          </span>
          <Badge tone="success">succeeded</Badge>
          <span className="text-xs text-muted-foreground">
            <RelativeTime value={current.at} />
          </span>
        </div>
      ) : (
        <span className="text-sm text-muted-foreground">Nothing deployed</span>
      )}
      {next ? (
        <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="cell-next">
          <span>→ {next.version}</span>
          <Badge tone={STATE_TONE[next.state as keyof typeof STATE_TONE] ?? 'neutral'}>
            {next.state.replace('_', ' ')}
          </Badge>
          {next.approval === 'pending' ? <Badge tone="warning">awaiting approval</Badge> : null}
        </div>
      ) : null}
      {drift ? (
        <span className="text-xs font-medium text-warning" data-testid="cell-drift">
          Drift: {drift.behind} runs {drift.version}
        </span>
      ) : null}
      {canPromote ? (
        <div className="flex flex-wrap gap-1 pt-1">
          {current && nextEnv ? (
            <PromoteButton releaseId={current.releaseId} version={current.version} target={nextEnv} />
          ) : null}
          {next?.approval === 'pending' ? (
            <ApproveButton id={next.deploymentId} version={next.version} environment={cell.environment} />
          ) : null}
          {isAdmin && head && head.version !== current?.version && head.version !== next?.version ? (
            <OverrideButton releaseId={head.releaseId} version={head.version} target={cell.environment} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
