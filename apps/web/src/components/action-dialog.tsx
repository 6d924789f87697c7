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

/**
 * A dialog behind a trigger that asks for an action (title, description, then the body: a form or a
 * confirmation) and, once done, may show its result in the same place, e.g. a secret shown once.
 */
export function ActionDialog({
  open,
  onOpenChange,
  trigger,
  className,
  title,
  description,
  result = null,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The element that opens the dialog, usually a `Button`. */
  trigger: React.ReactNode;
  className?: string;
  title: React.ReactNode;
  description: React.ReactNode;
  /** What the action gave back, shown instead of the ask; null until then. */
  result?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className={className}>
        {result ?? (
          <>
            {/* The title names the dialog for getByLabel too, so it stays free of the entity's own name. */}
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
            {children}
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** The last attempt's message, then Cancel (closes the dialog) and the dialog's own action. */
export function DialogActions({ message, children }: { message?: string | null; children: React.ReactNode }) {
  return (
    <>
      {message ? <FieldError>{message}</FieldError> : null}
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        {children}
      </div>
    </>
  );
}

/** The shown-once result of an action: what the secret is, why it is shown only now, the value, and Done. */
export function SecretShownOnce({
  title,
  description,
  children,
}: {
  title: React.ReactNode;
  description: React.ReactNode;
  /** The secret itself, e.g. a `SecretValue`; none when there is nothing to show but the note. */
  children?: React.ReactNode;
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
