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
import { useHydrated } from '~/lib/local-time';

/**
 * One create-or-edit form in a dialog: the trigger ("Edit", or the create label), title, description,
 * the fields, a form-level message, Cancel and submit. Triggers stay disabled until hydrated: an earlier
 * click would do nothing.
 */
export function FormDialog({
  open,
  onOpenChange,
  editing = false,
  createLabel,
  title,
  description,
  wide = false,
  onSubmit,
  message,
  submitLabel,
  pending,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  editing?: boolean;
  createLabel: string;
  title: string;
  description: React.ReactNode;
  wide?: boolean;
  onSubmit: (e: React.FormEvent<HTMLFormElement>) => void;
  message: string | null;
  submitLabel: string;
  pending: boolean;
  children: React.ReactNode;
}) {
  const hydrated = useHydrated();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        {editing ? (
          <Button size="sm" variant="outline" disabled={!hydrated}>
            Edit
          </Button>
        ) : (
          <Button disabled={!hydrated}>{createLabel}</Button>
        )}
      </DialogTrigger>
      <DialogContent className={`max-h-[90vh] overflow-y-auto${wide ? ' max-w-2xl' : ''}`}>
        {/* The title names the dialog for getByLabel too, so it stays free of the entity's own name. */}
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {children}
          {message ? <FieldError>{message}</FieldError> : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" disabled={pending}>
              {submitLabel}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
