'use client';

import {
  Button,
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
  FieldError,
} from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
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
  const [open, setOpen] = useState(false);
  const rotate = useMutation(trpc.heartbeats.rotateToken.mutationOptions({ onSettled: () => refresh() }));
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) rotate.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" disabled={!hydrated}>
          Rotate URL
        </Button>
      </DialogTrigger>
      <DialogContent>
        {rotate.data ? (
          <NewPingUrl name={rotate.data.name} base={pingBase} token={rotate.data.token} />
        ) : (
          <>
            <DialogTitle>Rotate the ping URL of “{heartbeat.name}”?</DialogTitle>
            <DialogDescription>
              The current URL stops working at once: pings sent to it are refused until the job uses the new
              URL, shown next.
            </DialogDescription>
            {rotate.error ? <FieldError>{rotate.error.message}</FieldError> : null}
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button
                variant="destructive"
                disabled={rotate.isPending}
                onClick={() => rotate.mutate({ id: heartbeat.id })}
              >
                Rotate
              </Button>
            </div>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
