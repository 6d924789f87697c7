'use client';

import type { RouteNode } from '@sextant/db/notify-types';
import { ROUTE_TIMER_BOUNDS, ROUTE_TIMERS, routeNodeSchema } from '@sextant/trpc/schemas';
import { Checkbox, Input, Label, Select } from '@sextant/ui';
import { useState } from 'react';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { MatchersEditor, matcherErrors } from '~/components/matchers-editor';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import type { AlertMatcher } from '~/lib/matcher-text';
import {
  type Effective,
  formatSeconds,
  INCIDENT_CHOICES,
  type IncidentChoice,
  incidentChoiceOf,
  incidentOfChoice,
  incidentText,
} from '~/lib/route-tree';

const TIMER_LABEL = {
  groupWaitSeconds: 'group_wait',
  groupIntervalSeconds: 'group_interval',
  repeatIntervalSeconds: 'repeat_interval',
} as const;
const FIELDS = [
  'matchers',
  'receiverId',
  'groupBy',
  ...ROUTE_TIMERS,
  'muteTimeIntervals',
  'activeTimeIntervals',
  'incident',
];

/** A list field as typed: blank inherits, "none" sets an empty list, otherwise comma separated. */
const listText = (v: string[] | undefined) => (v === undefined ? '' : v.length === 0 ? 'none' : v.join(', '));
const parseList = (text: string, isRoot: boolean): string[] | undefined => {
  const t = text.trim();
  if (t === '') return isRoot ? [] : undefined;
  if (t === 'none') return [];
  return t.split(/[\s,]+/).filter(Boolean);
};

/**
 * Edits one node of the draft tree (nothing is saved until "Save tree"). Blank fields inherit, shown with the
 * value and the route they would come from; the root has no matchers and sets every setting but the receiver.
 */
export function RouteNodeDialog({
  node,
  isRoot,
  inherited,
  receivers,
  intervals,
  trigger,
  onSave,
}: {
  node: RouteNode;
  isRoot: boolean;
  /** The parent's effective settings (null for the root). */
  inherited: Effective | null;
  receivers: { id: string; name: string }[];
  intervals: string[];
  trigger: 'edit' | 'add';
  onSave: (next: RouteNode) => void;
}) {
  const [open, setOpen] = useState(false);
  const [matchers, setMatchers] = useState<AlertMatcher[]>(node.matchers);
  const [cont, setCont] = useState(node.continue);
  const [receiverId, setReceiverId] = useState(node.receiverId ?? '');
  const [groupBy, setGroupBy] = useState(listText(node.groupBy));
  const [timers, setTimers] = useState(
    Object.fromEntries(ROUTE_TIMERS.map((t) => [t, node[t]?.toString() ?? ''])) as Record<string, string>,
  );
  const [mute, setMute] = useState(listText(node.muteTimeIntervals));
  const [active, setActive] = useState(listText(node.activeTimeIntervals));
  const [incident, setIncident] = useState<IncidentChoice>(incidentChoiceOf(node.incident, isRoot));
  const [issues, setIssues] = useState<InputIssue[]>([]);
  // Every opening starts from the node as it is in the draft now.
  const reset = () => {
    setMatchers(node.matchers);
    setCont(node.continue);
    setReceiverId(node.receiverId ?? '');
    setGroupBy(listText(node.groupBy));
    setTimers(Object.fromEntries(ROUTE_TIMERS.map((t) => [t, node[t]?.toString() ?? ''])));
    setMute(listText(node.muteTimeIntervals));
    setActive(listText(node.activeTimeIntervals));
    setIncident(incidentChoiceOf(node.incident, isRoot));
    setIssues([]);
  };
  const { fieldError, message } = stateFormErrors(null, issues, FIELDS);
  const matcherErr = matcherErrors(issues, 'matchers');
  const receiverName = (id: string | undefined) =>
    id ? (receivers.find((r) => r.id === id)?.name ?? 'unknown receiver') : 'none';
  const hint = (text: string, from?: string) =>
    inherited && from ? `Blank inherits ${text} from ${from}.` : undefined;

  function onSubmit() {
    const next: RouteNode = {
      id: node.id,
      matchers: isRoot ? [] : matchers,
      continue: isRoot ? false : cont,
      children: node.children,
    };
    if (receiverId) next.receiverId = receiverId;
    const g = parseList(groupBy, isRoot);
    if (g) next.groupBy = g;
    for (const t of ROUTE_TIMERS) if (timers[t]!.trim() !== '') next[t] = Number(timers[t]);
    const m = parseList(mute, isRoot);
    if (m) next.muteTimeIntervals = m;
    const a = parseList(active, isRoot);
    if (a) next.activeTimeIntervals = a;
    const inc = incidentOfChoice(incident);
    if (inc !== undefined) next.incident = inc;
    const checked = routeNodeSchema.safeParse({ ...next, children: [] });
    const missing = isRoot ? ROUTE_TIMERS.filter((t) => next[t] === undefined) : [];
    setIssues([
      ...(checked.error?.issues ?? []),
      ...missing.map((t) => ({ path: [t], message: 'The root sets every timer.' })),
    ]);
    if (!checked.success || missing.length > 0) return;
    onSave(next);
    setOpen(false);
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={(o) => {
        if (o) reset();
        setOpen(o);
      }}
      editing={trigger === 'edit'}
      createLabel="Add child"
      title={isRoot ? 'Edit root route' : trigger === 'add' ? 'New child route' : `Edit route ${node.id}`}
      description="Changes go into the draft; “Save tree” saves the whole tree."
      wide
      onSubmit={onSubmit}
      message={message}
      submitLabel="Apply"
      pending={false}
    >
      {isRoot ? null : (
        <>
          <MatchersEditor
            id="route-matchers"
            label="Matcher"
            value={matchers}
            onChange={setMatchers}
            errors={matcherErr.rows}
            setError={matcherErr.set}
          />
          <div className="flex items-center gap-2">
            <Checkbox id="route-continue" checked={cont} onChange={(e) => setCont(e.target.checked)} />
            <Label htmlFor="route-continue">Continue: later siblings are tried too</Label>
          </div>
        </>
      )}
      <Field
        id="route-receiver"
        label="Receiver"
        error={fieldError('receiverId')}
        hint={hint(receiverName(inherited?.receiverId.value), inherited?.receiverId.from)}
      >
        {(p) => (
          <Select {...p} value={receiverId} onChange={(e) => setReceiverId(e.target.value)}>
            <option value="">{isRoot ? 'none: alerts no child takes are not notified' : 'inherit'}</option>
            {receivers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        id="route-group-by"
        label="Group by"
        error={fieldError('groupBy')}
        hint={`Label names, comma separated; "..." groups by every label; "none" puts all alerts in one group.${inherited ? ` ${hint(listText(inherited.groupBy.value) || 'none', inherited.groupBy.from)}` : ''}`}
      >
        {(p) => (
          <Input {...p} value={groupBy} onChange={(e) => setGroupBy(e.target.value)} className="font-mono" />
        )}
      </Field>
      <div className="grid grid-cols-3 gap-3">
        {ROUTE_TIMERS.map((t) => (
          <Field
            key={t}
            id={`route-${t}`}
            label={`${TIMER_LABEL[t]} (s)`}
            error={fieldError(t)}
            hint={
              inherited
                ? `Blank: ${formatSeconds(inherited[t].value)} from ${inherited[t].from}`
                : `${ROUTE_TIMER_BOUNDS[t].min}–${ROUTE_TIMER_BOUNDS[t].max}`
            }
          >
            {(p) => (
              <Input
                {...p}
                inputMode="numeric"
                value={timers[t]}
                onChange={(e) => setTimers({ ...timers, [t]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
      <Field
        id="route-mute"
        label="Mute time intervals"
        error={fieldError('muteTimeIntervals')}
        hint={`Known: ${intervals.join(', ') || 'none yet'}. Blank inherits; "none" overrides with no intervals.`}
      >
        {(p) => <Input {...p} value={mute} onChange={(e) => setMute(e.target.value)} />}
      </Field>
      <Field
        id="route-active"
        label="Active time intervals"
        error={fieldError('activeTimeIntervals')}
        hint="Notified only while one of them holds. Blank inherits."
      >
        {(p) => <Input {...p} value={active} onChange={(e) => setActive(e.target.value)} />}
      </Field>
      <Field
        id="route-incident"
        label="Open an incident"
        error={fieldError('incident')}
        hint={`A firing group opens an incident (or joins the open one it opened); resolving its alerts only suggests resolving it.${inherited ? ` Inherit: ${incidentText(inherited.incident.value)} from ${inherited.incident.from}.` : ''}`}
      >
        {(p) => (
          <Select {...p} value={incident} onChange={(e) => setIncident(e.target.value as IncidentChoice)}>
            {INCIDENT_CHOICES.filter((c) => !isRoot || c !== 'inherit').map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        )}
      </Field>
    </FormDialog>
  );
}
