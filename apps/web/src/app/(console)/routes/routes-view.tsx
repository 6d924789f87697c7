'use client';

import type { RouteNode } from '@sextant/db/notify-types';
import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button, cn, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { MatcherChips } from '~/components/matcher-chips';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { serverIssues } from '~/lib/field-errors';
import {
  addChild,
  type Effective,
  effectiveOf,
  formatSeconds,
  incidentText,
  moveNode,
  newRouteId,
  nodeAtPath,
  removeNode,
  replaceNode,
} from '~/lib/route-tree';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { RouteNodeDialog } from './route-node-dialog';
import { RouteTester } from './route-tester';

type Saved = RouterOutputs['routes']['get'];
type Warning = RouterOutputs['routes']['update']['warnings'][number];

/** The routing tree as an indented tree, edited as a draft and saved whole with a version check. */
export function RoutesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useSuspenseQuery(trpc.routes.get.queryOptions());
  const canEdit = roleAtLeast(role, 'maintainer');
  const [draft, setDraft] = useState<{ tree: RouteNode; version: number } | null>(null);
  const [warnings, setWarnings] = useState<Warning[]>([]);
  const tree = draft?.tree ?? saved.data.tree;
  const edit = (next: RouteNode) => setDraft({ tree: next, version: draft?.version ?? saved.data.version });

  const save = useMutation(
    trpc.routes.update.mutationOptions({
      onSuccess: (r) => {
        toast.success(`Routing tree saved (version ${r.version}).`);
        setWarnings(r.warnings);
        setDraft(null);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.routes.get.queryKey() }),
    }),
  );
  const issue = save.error ? serverIssues(save.error)[0] : undefined;
  // Service refusals carry the node's path (tree.children.0.matchers): name the route it is about.
  const errorNode = issue ? nodeAtPath(tree, issue.path) : null;

  return (
    <ConsolePage
      title="Routes"
      description="Every alert enters at the root and goes down the first matching child (or every matching child with continue). Unset settings are inherited, time intervals included."
      refreshed={[saved]}
      action={
        canEdit ? (
          <div className="flex gap-2">
            <Button
              variant="outline"
              disabled={!draft || save.isPending}
              onClick={() => {
                setDraft(null);
                save.reset();
              }}
            >
              Discard changes
            </Button>
            <Button
              disabled={!draft || save.isPending}
              onClick={() => draft && save.mutate({ tree: draft.tree, expectedVersion: draft.version })}
            >
              Save tree
            </Button>
          </div>
        ) : null
      }
    >
      {save.error ? (
        <p role="alert" className="text-sm text-destructive" data-testid="routes-error">
          {issue?.message ?? save.error.message}
          {errorNode ? ` (route ${errorNode.id}, ${issue!.path.join('.')})` : ''}
        </p>
      ) : null}
      {tree.receiverId ? null : (
        <p role="status" className="text-sm text-warning" data-testid="routes-no-root-receiver">
          The root route has no receiver: an alert that no child route takes notifies nobody.{' '}
          {saved.data.receivers.length === 0
            ? 'Create a receiver under Receivers, then pick it on the root route.'
            : 'Edit the root route and pick a receiver.'}
        </p>
      )}
      {warnings.map((w) => (
        <p key={w.routeId} role="status" className="text-sm text-warning" data-testid="routes-warning">
          Route {w.routeId}: {w.message}
        </p>
      ))}
      <SectionCard
        title={draft ? 'Routing tree (unsaved changes)' : `Routing tree (version ${saved.data.version})`}
        testId="route-tree"
      >
        <ul className="flex flex-col gap-2">
          <NodeItem
            node={tree}
            parent={null}
            depth={0}
            saved={saved.data}
            canEdit={canEdit}
            onChange={edit}
            tree={tree}
          />
        </ul>
      </SectionCard>
      <RouteTester receivers={saved.data.receivers} />
    </ConsolePage>
  );
}

function NodeItem({
  node,
  parent,
  depth,
  saved,
  canEdit,
  onChange,
  tree,
}: {
  node: RouteNode;
  parent: Effective | null;
  depth: number;
  saved: Saved;
  canEdit: boolean;
  onChange: (tree: RouteNode) => void;
  tree: RouteNode;
}) {
  const eff = effectiveOf(node, parent);
  const isRoot = parent === null;
  const receiver = (id: string | undefined) =>
    id ? (saved.receivers.find((r) => r.id === id)?.name ?? 'unknown receiver') : 'none';
  const list = (v: string[] | undefined) => (v && v.length > 0 ? v.join(', ') : 'none');
  return (
    <li data-testid="route-node" data-route-id={node.id} style={{ marginLeft: depth * 24 }}>
      <div className="flex flex-col gap-1 rounded-md border p-3">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm font-medium">{isRoot ? 'root' : node.id}</span>
          {isRoot ? (
            <Badge tone="neutral">matches every alert</Badge>
          ) : (
            <MatcherChips matchers={node.matchers} />
          )}
          {node.continue ? <Badge tone="info">continue</Badge> : null}
          {canEdit ? (
            <div className="ml-auto flex gap-1">
              <RouteNodeDialog
                node={{
                  id: 'new',
                  matchers: [{ label: '', op: '=', value: '' }],
                  continue: false,
                  children: [],
                }}
                isRoot={false}
                inherited={eff}
                receivers={saved.receivers}
                intervals={saved.intervals}
                trigger="add"
                onSave={(child) => onChange(addChild(tree, node.id, { ...child, id: newRouteId() }))}
              />
              <RouteNodeDialog
                node={node}
                isRoot={isRoot}
                inherited={parent}
                receivers={saved.receivers}
                intervals={saved.intervals}
                trigger="edit"
                onSave={(next) => onChange(replaceNode(tree, next))}
              />
              {isRoot ? null : (
                <>
                  <Button
                    size="sm"
                    variant="outline"
                    aria-label="Move up"
                    onClick={() => onChange(moveNode(tree, node.id, -1))}
                  >
                    ↑
                  </Button>
                  <Button
                    size="sm"
                    variant="outline"
                    aria-label="Move down"
                    onClick={() => onChange(moveNode(tree, node.id, 1))}
                  >
                    ↓
                  </Button>
                  <Button size="sm" variant="destructive" onClick={() => onChange(removeNode(tree, node.id))}>
                    Delete
                  </Button>
                </>
              )}
            </div>
          ) : null}
        </div>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-xs">
          {(
            [
              ['receiver', eff.receiverId.from, receiver(eff.receiverId.value)],
              ['group_by', eff.groupBy.from, list(eff.groupBy.value)],
              ['group_wait', eff.groupWaitSeconds.from, formatSeconds(eff.groupWaitSeconds.value)],
              [
                'group_interval',
                eff.groupIntervalSeconds.from,
                formatSeconds(eff.groupIntervalSeconds.value),
              ],
              [
                'repeat_interval',
                eff.repeatIntervalSeconds.from,
                formatSeconds(eff.repeatIntervalSeconds.value),
              ],
              ['mute', eff.muteTimeIntervals.from, list(eff.muteTimeIntervals.value)],
              ['active', eff.activeTimeIntervals.from, list(eff.activeTimeIntervals.value)],
              ['incident', eff.incident.from, incidentText(eff.incident.value)],
            ] as const
          ).map(([label, from, value]) => (
            <Setting key={label} label={label} own={node.id} from={from} value={value} />
          ))}
        </dl>
      </div>
      {node.children.length > 0 ? (
        <ul className="mt-2 flex flex-col gap-2">
          {node.children.map((c) => (
            <NodeItem
              key={c.id}
              node={c}
              parent={eff}
              depth={1}
              saved={saved}
              canEdit={canEdit}
              onChange={onChange}
              tree={tree}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** One setting: set here in full colour, or inherited, muted and saying from which route. */
function Setting({ label, value, own, from }: { label: string; value: string; own: string; from: string }) {
  const inherited = from !== own;
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd
        data-testid={`setting-${label}`}
        className={cn('font-mono', inherited && 'text-muted-foreground italic')}
      >
        {value}
        {inherited ? <span className="ml-2 not-italic">(inherited from {from})</span> : null}
      </dd>
    </>
  );
}
