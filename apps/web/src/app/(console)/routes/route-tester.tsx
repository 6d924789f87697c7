'use client';

import { Badge, Button, Textarea } from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { LabelChips } from '~/components/label-chips';
import { SectionCard } from '~/components/section-card';
import { parseLabels } from '~/lib/labels-text';
import { formatSeconds } from '~/lib/route-tree';
import { useTRPC } from '~/trpc/react';

/** `a=b` lines, or a JSON object of labels; a string is the error. */
function parseTesterLabels(text: string): Record<string, string> | string {
  const t = text.trim();
  if (!t.startsWith('{')) return parseLabels(t);
  try {
    const v = JSON.parse(t) as unknown;
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Object.values(v).every((x) => typeof x === 'string')
    )
      return v as Record<string, string>;
  } catch {}
  return 'Give a JSON object of string values, or one a=b per line.';
}

const SETTINGS = [
  ['groupBy', 'group_by'],
  ['groupWaitSeconds', 'group_wait'],
  ['groupIntervalSeconds', 'group_interval'],
  ['repeatIntervalSeconds', 'repeat_interval'],
  ['muteTimeIntervals', 'mute'],
  ['activeTimeIntervals', 'active'],
  ['incident', 'incident'],
] as const;

type Shown = number | string[] | { severity: string } | null;
const shown = (v: Shown) =>
  v === null
    ? 'off'
    : typeof v === 'number'
      ? formatSeconds(v)
      : Array.isArray(v)
        ? v.join(', ') || 'none'
        : `opens ${v.severity}`;

/** "Which route would this alert take?", against the saved tree (save a draft to test it). */
export function RouteTester({ receivers }: { receivers: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [labels, setLabels] = useState<Record<string, string> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const result = useQuery({
    ...trpc.routes.test.queryOptions({ labels: labels ?? {} }),
    enabled: labels !== null,
  });
  const receiverName = (id: string | null) => (id ? (receivers.find((r) => r.id === id)?.name ?? id) : null);

  return (
    <SectionCard
      title="Which route would this alert take?"
      description="Labels as a=b lines or JSON. Tests the saved tree at the current time."
      testId="route-tester"
    >
      <form
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = parseTesterLabels(text);
          setProblem(typeof parsed === 'string' ? parsed : null);
          if (typeof parsed !== 'string') setLabels(parsed);
        }}
      >
        <Textarea
          aria-label="Alert labels"
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="font-mono"
          placeholder={'alertname=HighLatency\nteam=db'}
        />
        {problem ? <p className="text-sm text-destructive">{problem}</p> : null}
        <div>
          <Button type="submit">Test</Button>
        </div>
      </form>
      {result.error ? <p className="mt-3 text-sm text-destructive">{result.error.message}</p> : null}
      {result.data ? (
        <ol className="mt-4 flex flex-col gap-3" aria-label="Matched routes">
          {result.data.routes.map((r) => (
            <li
              key={r.id}
              data-testid="tested-route"
              data-route-id={r.id}
              className="rounded-md border p-3 text-sm"
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono font-medium">{r.path.length === 1 ? 'root' : r.id}</span>
                <span>→ {receiverName(r.receiverId) ?? 'no receiver: not notified'}</span>
                {r.mute.muted ? (
                  <Badge tone="warning">muted now by {r.mute.mutedBy.join(', ')}</Badge>
                ) : (
                  <Badge tone="success">not muted now</Badge>
                )}
              </div>
              <p className="mt-1 font-mono text-xs break-all">group key {r.groupKey}</p>
              <div className="mt-1 flex items-center gap-2 text-xs">
                group labels <LabelChips labels={r.groupLabels} />
              </div>
              <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 text-xs">
                {SETTINGS.map(([key, label]) => {
                  const v = r.settings[key];
                  const from = r.inheritedFrom[key];
                  return (
                    <div key={key} className="contents">
                      <dt className="text-muted-foreground">{label}</dt>
                      <dd data-testid={`tested-${label}`} className="font-mono">
                        {shown(v)}
                        {from ? (
                          <span className="ml-2 text-muted-foreground">(inherited from {from})</span>
                        ) : null}
                      </dd>
                    </div>
                  );
                })}
              </dl>
              <p className="mt-2 text-xs text-muted-foreground">
                Repeats every {r.cadence.repeatTicks} × group_interval ={' '}
                {formatSeconds(r.cadence.repeatMs / 1000)}. Next sends if it starts firing now:{' '}
                {r.nextSends.length > 0
                  ? r.nextSends.map((d) => d.toISOString()).join(', ')
                  : 'none in the next ticks'}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
    </SectionCard>
  );
}
