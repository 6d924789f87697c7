'use client';

import { cn, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';

/** On/off of one flag in one environment. Without `canToggle` (a viewer) it is a label, never a control. */
export function FlagSwitch({
  flagKey,
  environment,
  enabled,
  canToggle,
}: {
  flagKey: string;
  environment: string;
  enabled: boolean;
  canToggle: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const toggle = useMutation(
    trpc.flags.toggle.mutationOptions({
      onSuccess: (r) => {
        toast.success(`${flagKey} ${r.enabled ? 'on' : 'off'} in ${r.environment}.`);
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.flags.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.flags.get.queryKey({ key: flagKey }) }),
          queryClient.invalidateQueries({ queryKey: trpc.flags.changes.pathKey() }),
        ]);
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const label = enabled ? 'on' : 'off';
  if (!canToggle) {
    return (
      <span
        data-testid="flag-state"
        data-env={environment}
        data-enabled={enabled}
        className={cn('text-sm', enabled ? 'font-medium text-success' : 'text-muted-foreground')}
      >
        {label}
      </span>
    );
  }
  return (
    <button
      type="button"
      role="switch"
      aria-checked={enabled}
      aria-label={`${flagKey} in ${environment}`}
      data-testid="flag-toggle"
      data-env={environment}
      disabled={!hydrated || toggle.isPending}
      onClick={() => toggle.mutate({ key: flagKey, environment, enabled: !enabled })}
      className={cn(
        'relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border transition-colors disabled:opacity-50',
        enabled ? 'bg-primary' : 'bg-muted',
      )}
    >
      <span
        className={cn(
          'inline-block size-4 rounded-full bg-background shadow transition-transform',
          enabled ? 'translate-x-4' : 'translate-x-0.5',
        )}
      />
    </button>
  );
}
