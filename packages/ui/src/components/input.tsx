import type * as React from 'react';
import { cn } from '../cn';

/** What every form control shares: border, focus ring, disabled and invalid states (Select and Textarea too). */
export const controlClass =
  'flex w-full rounded-md border bg-transparent text-sm placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50 aria-invalid:border-destructive';

export function Input({ className, ...props }: React.ComponentProps<'input'>) {
  return <input className={cn(controlClass, 'h-9 px-3 py-1', className)} {...props} />;
}

export function Label({ className, ...props }: React.ComponentProps<'label'>) {
  // biome-ignore lint/a11y/noLabelWithoutControl: callers pass htmlFor or nest the control
  return <label className={cn('text-sm font-medium', className)} {...props} />;
}

/** The validation message under a field; linked via aria-describedby by the caller. */
export function FieldError({ className, ...props }: React.ComponentProps<'p'>) {
  return <p role="alert" className={cn('text-xs text-destructive', className)} {...props} />;
}
