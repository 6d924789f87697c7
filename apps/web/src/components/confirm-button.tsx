'use client';

import { Button } from '@sextant/ui';
import { useState } from 'react';
import { useHydrated } from '~/lib/local-time';
import { ActionDialog, DialogActions } from './action-dialog';

/** What the dialog shows of the action it confirms: usually a `useMutation` result. */
interface Action {
  isPending: boolean;
  error: { message: string } | null;
  reset: () => void;
}

/**
 * A row's button that asks before it acts ("Delete", "Revoke", "Rotate URL"): the action's error shows in the
 * dialog, closing forgets it, and a `result` (a secret shown once) replaces the question. Pass `open` to close
 * it from the action's success. Disabled until hydrated: an earlier click would do nothing.
 */
export function ConfirmButton({
  label,
  variant = 'outline',
  title,
  description,
  confirmLabel = label,
  action,
  onConfirm,
  result = null,
  open,
  onOpenChange,
}: {
  label: string;
  variant?: 'outline' | 'destructive';
  title: React.ReactNode;
  description: React.ReactNode;
  confirmLabel?: string;
  action: Action;
  onConfirm: () => void;
  result?: React.ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const hydrated = useHydrated();
  const [ownOpen, setOwnOpen] = useState(false);
  return (
    <ActionDialog
      open={open ?? ownOpen}
      onOpenChange={(next) => {
        (onOpenChange ?? setOwnOpen)(next);
        if (!next) action.reset();
      }}
      trigger={
        <Button size="sm" variant={variant} disabled={!hydrated}>
          {label}
        </Button>
      }
      title={title}
      description={description}
      result={result}
    >
      <DialogActions message={action.error?.message}>
        <Button variant="destructive" disabled={action.isPending} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </ActionDialog>
  );
}
