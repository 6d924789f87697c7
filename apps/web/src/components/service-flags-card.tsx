'use client';

import { FLAG_LIMITS } from '@sextant/trpc/limits';
import { flagsForServicesInput } from '@sextant/trpc/schemas';
import { Badge, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { changeText, flippedBefore } from '~/lib/flag-context';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { ConfirmButton } from './confirm-button';
import { SectionCard } from './section-card';

type ServiceFlag = RouterOutputs['flags']['forServices']['flags'][number];

const SERVICE_REF = flagsForServicesInput.shape.services.element;

/** Responders keep the page open: a flag someone else kills shows here without a reload. */
const LIVE_MS = 10_000;

/** "12 min", "3 h 5 min", "2 d 4 h". */
function ago(ms: number) {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  if (h < 24) return minutes % 60 ? `${h} h ${minutes % 60} min` : `${h} h`;
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${Math.floor(h / 24)} d`;
}

/**
 * Issue 18 point 3: the flags linked to an incident's (or alert's) services, each production environment's state,
 * the flag flipped last before `start`, and a kill switch per enabled production environment for maintainers.
 * Shows nothing while loading or when no flag is linked: most services have none.
 */
export function ServiceFlagsCard({
  services,
  start,
  startLabel,
  canKill,
}: {
  /** Service ids or slugs; the first FLAG_LIMITS.serviceRefs valid ones are asked about. */
  services: string[];
  /** When the trouble began; the flags' last change before it is shown. */
  start: Date | null;
  /** "this incident started", "this alert fired". */
  startLabel: string;
  canKill: boolean;
}) {
  const trpc = useTRPC();
  // A label value that cannot be a service reference names none; the read's own bound applies before asking.
  const refs = [...new Set(services)]
    .filter((s) => SERVICE_REF.safeParse(s).success)
    .slice(0, FLAG_LIMITS.serviceRefs);
  const read = useQuery(
    trpc.flags.forServices.queryOptions(
      { services: refs, ...(start ? { before: start } : {}) },
      { enabled: refs.length > 0, refetchInterval: LIVE_MS },
    ),
  );
  const flags = read.data?.flags ?? [];
  if (flags.length === 0) return null;
  const flipped = start ? flippedBefore(flags) : null;
  return (
    <SectionCard
      title="Flags of these services"
      description="Each linked flag in production; the kill switch turns one off there at once."
      testId="service-flags"
    >
      <div className="flex flex-col gap-3 text-sm">
        {start ? (
          <p data-testid="flag-flipped-before">
            {flipped ? (
              <>
                Flag changed last before {startLabel}:{' '}
                <Link
                  className="font-medium underline"
                  href={`/flags/${encodeURIComponent(flipped.flag.key)}`}
                >
                  {flipped.flag.key}
                </Link>{' '}
                {changeText(flipped.change)}, {ago(start.getTime() - flipped.change.at.getTime())} earlier.
              </>
            ) : (
              <span className="text-muted-foreground">
                No linked flag changed in the 90 days before {startLabel}.
              </span>
            )}
          </p>
        ) : null}
        <ul className="flex flex-col divide-y">
          {flags.map((f) => (
            <FlagRow key={f.key} flag={f} canKill={canKill} />
          ))}
        </ul>
        {read.data?.truncated ? (
          <p className="text-muted-foreground">More flags are linked than shown; see the flags list.</p>
        ) : null}
      </div>
    </SectionCard>
  );
}

function FlagRow({ flag, canKill }: { flag: ServiceFlag; canKill: boolean }) {
  return (
    <li data-testid="service-flag" data-key={flag.key} className="flex flex-col gap-2 py-2 first:pt-0">
      <div className="flex flex-wrap items-center gap-2">
        <Link className="font-medium underline" href={`/flags/${encodeURIComponent(flag.key)}`}>
          {flag.key}
        </Link>
        <Badge tone="neutral">{flag.type}</Badge>
        <span className="text-muted-foreground">{flag.services.map((s) => s.name).join(', ')}</span>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        {flag.environments.map((e) => (
          <span key={e.environment} className="flex items-center gap-2">
            <Badge
              tone={e.enabled ? 'success' : 'neutral'}
              data-testid="flag-state"
              data-env={e.environment}
              data-enabled={e.enabled}
            >
              {e.environment}: {e.enabled ? 'on' : 'off'}
            </Badge>
            {canKill && e.enabled ? <KillSwitch flagKey={flag.key} environment={e.environment} /> : null}
          </span>
        ))}
      </div>
      {flag.lastChange ? (
        <p className="text-muted-foreground" data-testid="flag-last-change">
          Last change before: {changeText(flag.lastChange)} (<LocalTime value={flag.lastChange.at} />)
        </p>
      ) : null}
    </li>
  );
}

function KillSwitch({ flagKey, environment }: { flagKey: string; environment: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const kill = useMutation(
    trpc.flags.kill.mutationOptions({
      onSuccess: () => {
        toast.success(`${flagKey} is off in ${environment}.`);
        setOpen(false);
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.flags.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.deployments.markers.pathKey() }),
        ]);
      },
    }),
  );
  return (
    <ConfirmButton
      label="Kill switch"
      variant="destructive"
      title="Turn this flag off?"
      description={`Turns ${flagKey} off in ${environment} for everyone, whatever its strategies; clients follow within seconds.`}
      confirmLabel={`Turn off in ${environment}`}
      action={kill}
      open={open}
      onOpenChange={setOpen}
      onConfirm={() => kill.mutate({ key: flagKey, environment })}
    />
  );
}
