'use client';

import { Toaster } from '@sextant/ui';
import { ThemeProvider, useTheme } from 'next-themes';
import { TRPCReactProvider } from '~/trpc/react';

function ThemedToaster() {
  const { resolvedTheme } = useTheme();
  return <Toaster theme={resolvedTheme === 'dark' ? 'dark' : 'light'} />;
}

export function Providers({ children }: { children: React.ReactNode }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
      <TRPCReactProvider>
        {children}
        <ThemedToaster />
      </TRPCReactProvider>
    </ThemeProvider>
  );
}
