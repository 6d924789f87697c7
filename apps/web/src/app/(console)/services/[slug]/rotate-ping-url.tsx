'use client';

import { Button } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { SecretOnceDialog } from '~/components/secret-once-dialog';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { NewPingUrl } from './ping-url';
import { useRefreshServices } from './use-refresh';

/** Rotate after a confirmation, then show the new URL once; closing the dialog forgets it. */
export function RotatePingUrlButton({
  heartbeat,
  pingBase,
}: {
  heartbeat: { id: string; name: string };
  pingBase: string;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshServices();
  const hydrated = useHydrated();
  const rotate = useMutation(trpc.heartbeats.rotateToken.mutationOptions({ onSettled: () => refresh() }));
  return (
    <SecretOnceDialog
      trigger={
        <Button size="sm" variant="outline" disabled={!hydrated}>
          Rotate URL
        </Button>
      }
      title={`Rotate the ping URL of “${heartbeat.name}”?`}
      description="The current URL stops working at once: pings sent to it are refused until the job uses the new URL, shown next."
      confirmLabel="Rotate"
      pending={rotate.isPending}
      error={rotate.error?.message}
      onConfirm={() => rotate.mutate({ id: heartbeat.id })}
      secret={
        rotate.data ? <NewPingUrl name={rotate.data.name} base={pingBase} token={rotate.data.token} /> : null
      }
      onClosed={() => rotate.reset()}
    />
  );
}
