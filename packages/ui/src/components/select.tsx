import type * as React from 'react';
import { cn } from '../cn';
import { controlClass } from './input';

/** A native `<select>` styled like `Input`; native keeps keyboard, mobile and form behaviour for free. */
export function Select({ className, ...props }: React.ComponentProps<'select'>) {
  return (
    <select
      className={cn(
        controlClass,
        'h-9 px-2 py-1 dark:[color-scheme:dark] [&>option]:bg-card [&>option]:text-foreground',
        className,
      )}
      {...props}
    />
  );
}
