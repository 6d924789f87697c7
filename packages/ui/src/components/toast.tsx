'use client';

import { Toaster as Sonner, toast } from 'sonner';

/** Mount once in the root layout; call `toast()` anywhere. */
export function Toaster({ theme }: { theme?: 'light' | 'dark' | 'system' }) {
  return <Sonner theme={theme} richColors closeButton position="bottom-right" />;
}

export { toast };
