'use client';

import { useMutation } from '@tanstack/react-query';
import { ConfirmButton } from '~/components/confirm-button';
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
  const rotate = useMutation(trpc.heartbeats.rotateToken.mutationOptions({ onSettled: () => refresh() }));
  return (
    <ConfirmButton
      label="Rotate URL"
      title={`Rotate the ping URL of “${heartbeat.name}”?`}
      description="The current URL stops working at once: pings sent to it are refused until the job uses the new URL, shown next."
      confirmLabel="Rotate"
      action={rotate}
      onConfirm={() => rotate.mutate({ id: heartbeat.id })}
      result={
        rotate.data ? <NewPingUrl name={rotate.data.name} base={pingBase} token={rotate.data.token} /> : null
      }
    />
  );
}
