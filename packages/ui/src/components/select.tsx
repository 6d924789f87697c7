import type * as React from 'react';
import { cn } from '../cn';

/** A native `<select>` styled like `Input`; native keeps keyboard, mobile and form behaviour for free. */
export function Select({ className, ...props }: React.ComponentProps<'select'>) {
  return (
    <select
      className={cn(
        'flex h-9 w-full rounded-md border bg-transparent px-2 py-1 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50 aria-invalid:border-destructive dark:[color-scheme:dark] [&>option]:bg-card [&>option]:text-foreground',
        className,
      )}
      {...props}
    />
  );
}
