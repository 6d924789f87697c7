import { OUTBOUND_SETTINGS } from '@sextant/trpc/outbound-settings';
import { TableCell } from '@sextant/ui';
import Link from 'next/link';

const WHERE = OUTBOUND_SETTINGS.label;

/** A check's or scrape's last error; a refusal by the outbound policy links to where an admin can allow it. */
function ProbeError({ text }: { text: string }) {
  const at = text.indexOf(WHERE);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <Link href={OUTBOUND_SETTINGS.href} className="underline underline-offset-2">
        {WHERE}
      </Link>
      {text.slice(at + WHERE.length)}
    </>
  );
}

/** A monitor row's last-error cell: the first lines of the error (all of it on hover), or a dash. */
export function ProbeErrorCell({ error, testId }: { error: string | null; testId: string }) {
  return (
    <TableCell className="max-w-64 text-xs text-destructive" data-testid={testId}>
      {error ? (
        <span className="line-clamp-3 break-words" title={error}>
          <ProbeError text={error} />
        </span>
      ) : (
        <span className="text-muted-foreground">—</span>
      )}
    </TableCell>
  );
}
