import type * as React from 'react';
import { cn } from '../cn';

export function Input({ className, ...props }: React.ComponentProps<'input'>) {
  return (
    <input
      className={cn(
        'flex h-9 w-full rounded-md border bg-transparent px-3 py-1 text-sm placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50 aria-invalid:border-destructive',
        className,
      )}
      {...props}
    />
  );
}

export function Label({ className, ...props }: React.ComponentProps<'label'>) {
  // biome-ignore lint/a11y/noLabelWithoutControl: callers pass htmlFor or nest the control
  return <label className={cn('text-sm font-medium', className)} {...props} />;
}

/** The validation message under a field; linked via aria-describedby by the caller. */
export function FieldError({ className, ...props }: React.ComponentProps<'p'>) {
  return <p role="alert" className={cn('text-xs text-destructive', className)} {...props} />;
}
