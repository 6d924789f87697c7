import { OUTBOUND_SETTINGS } from '@sextant/trpc/outbound-settings';
import Link from 'next/link';

const WHERE = OUTBOUND_SETTINGS.label;

/** A check's or scrape's last error; a refusal by the outbound policy links to where an admin can allow it. */
export function ProbeError({ text }: { text: string }) {
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
