'use client';

import { Toaster } from '@sextant/ui';
import { ThemeProvider, useTheme } from 'next-themes';
import { TRPCReactProvider } from '~/trpc/react';

function ThemedToaster() {
  const { resolvedTheme } = useTheme();
  return <Toaster theme={resolvedTheme === 'dark' ? 'dark' : 'light'} />;
}

export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      nonce={nonce}
    >
      <TRPCReactProvider>
        {children}
        <ThemedToaster />
      </TRPCReactProvider>
    </ThemeProvider>
  );
}
