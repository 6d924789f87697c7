import type * as React from 'react';
import { cn } from '../cn';
import { controlClass } from './input';

/** A multi-line `Input`: same border, focus ring and invalid state. */
export function Textarea({ className, ...props }: React.ComponentProps<'textarea'>) {
  return <textarea className={cn(controlClass, 'min-h-16 px-3 py-2', className)} {...props} />;
}
