'use client';

import { Button } from '@sextant/ui';
import { useHydrated } from '~/lib/local-time';

/** The browser's print dialog (print to PDF gives the one-page report); never itself printed. */
export function PrintButton() {
  const hydrated = useHydrated();
  return (
    <Button variant="outline" className="print:hidden" disabled={!hydrated} onClick={() => window.print()}>
      Print
    </Button>
  );
}
