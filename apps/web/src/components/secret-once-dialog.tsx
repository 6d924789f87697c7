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
import type * as React from 'react';
import { useState } from 'react';

/** The shown-once half of a dialog: what the secret is, why it is shown only now, the value, and Done. */
export function SecretShownOnce({
  title,
  description,
  children,
}: {
  title: React.ReactNode;
  description: React.ReactNode;
  /** The secret itself, e.g. a `SecretValue`. */
  children: React.ReactNode;
}) {
  return (
    <>
      <DialogTitle>{title}</DialogTitle>
      <DialogDescription>{description}</DialogDescription>
      {children}
      <div className="flex justify-end">
        <DialogClose asChild>
          <Button>Done</Button>
        </DialogClose>
      </div>
    </>
  );
}

export interface SecretOnceDialogProps {
  /** The element that opens the dialog, usually a `Button`. */
  trigger: React.ReactNode;
  title: React.ReactNode;
  description: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending: boolean;
  error?: string | null;
  /** The new secret (usually a `SecretShownOnce`) once the action succeeded; null until then. */
  secret: React.ReactNode | null;
  /** Called when the dialog closes: forget the secret here (e.g. the mutation's `reset`). */
  onClosed: () => void;
}

/** Confirm an action that replaces a secret, then show the new one once in the same dialog; closing forgets it. */
export function SecretOnceDialog({
  trigger,
  title,
  description,
  confirmLabel,
  onConfirm,
  pending,
  error,
  secret,
  onClosed,
}: SecretOnceDialogProps) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) onClosed();
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        {secret ?? (
          <>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
            {error ? <FieldError>{error}</FieldError> : null}
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button variant="destructive" disabled={pending} onClick={onConfirm}>
                {confirmLabel}
              </Button>
            </div>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
