'use client';

import * as React from 'react';
import { cn } from '../cn';
import { Button, type ButtonProps } from './button';

/** Clipboard API where available; a hidden textarea on plain-http origins where it is not. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {}
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** Copies `value` and says so for a moment. */
export function CopyButton({
  value,
  children = 'Copy',
  variant = 'outline',
  size = 'sm',
  ...props
}: { value: string } & Omit<ButtonProps, 'value' | 'onClick'>) {
  const [state, setState] = React.useState<'idle' | 'copied' | 'failed'>('idle');
  React.useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <Button
      type="button"
      variant={variant}
      size={size}
      onClick={async () => setState((await copyText(value)) ? 'copied' : 'failed')}
      {...props}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : children}
    </Button>
  );
}

/** A one-time secret (key, temporary password) in a selectable monospace box with a copy button. */
export function SecretValue({
  value,
  className,
  ...props
}: { value: string } & Omit<React.ComponentProps<'code'>, 'children'>) {
  return (
    <div className={cn('flex min-w-0 items-center gap-2 rounded-md border bg-muted p-2', className)}>
      <code className="min-w-0 flex-1 select-all break-all font-mono text-sm" {...props}>
        {value}
      </code>
      <CopyButton value={value} />
    </div>
  );
}
