'use client';

import { CopyButton } from '@sextant/ui';
import { SecretShownOnce } from '~/components/action-dialog';

/** The full ping URL with a copy button, and how to use its variants from a script. */
export function PingUrl({ base, token }: { base: string; token: string }) {
  const url = `${base}/ping/${token}`;
  const example = `curl -fsS -m 10 --retry 3 ${url}`;
  return (
    <div className="flex flex-col gap-2 text-sm">
      <div className="flex min-w-0 items-center gap-2">
        <span className="shrink-0 text-xs text-muted-foreground">Ping URL</span>
        <code
          className="min-w-0 flex-1 select-all break-all rounded bg-muted px-2 py-1 font-mono text-xs"
          data-testid="ping-url"
        >
          {url}
        </code>
        <CopyButton value={url} aria-label="Copy ping URL" />
      </div>
      <details>
        <summary className="cursor-pointer text-xs text-primary hover:underline">How to ping</summary>
        <div className="mt-2 flex flex-col gap-2 text-xs">
          <ul className="flex flex-col gap-1">
            <li>
              <code className="font-mono">{url}</code> — the run succeeded (GET or POST).
            </li>
            <li>
              <code className="font-mono">{url}/start</code> — a run started; the next ping times it.
            </li>
            <li>
              <code className="font-mono">{url}/fail</code> — the run failed: DOWN at once.
            </li>
            <li>
              <code className="font-mono">{url}/&lt;exit-code&gt;</code> — 0 means success, 1–255 failure.
            </li>
          </ul>
          <div className="flex min-w-0 items-center gap-2">
            <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-muted p-2 font-mono">{example}</pre>
            <CopyButton value={example} aria-label="Copy curl example" />
          </div>
        </div>
      </details>
    </div>
  );
}

/**
 * Dialog content for a ping URL just created or rotated: Sextant keeps only the token's hash, so this is the
 * one time the URL can be copied.
 */
export function NewPingUrl({ name, base, token }: { name: string; base: string; token: string }) {
  return (
    <SecretShownOnce
      title="New ping URL"
      description={`Copy the ping URL of “${name}” now. It will not be shown again: Sextant keeps only a hash of it. If it is lost, rotate it to get a new one.`}
    >
      <div data-testid="new-ping-url">
        <PingUrl base={base} token={token} />
      </div>
    </SecretShownOnce>
  );
}

/** What the console knows of an existing heartbeat's URL: the token's first characters only. */
export function PingUrlHint({ base, tokenPrefix }: { base: string; tokenPrefix: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-1 text-sm">
      <div className="flex min-w-0 items-center gap-2">
        <span className="shrink-0 text-xs text-muted-foreground">Ping URL</span>
        <code
          className="min-w-0 break-all rounded bg-muted px-2 py-1 font-mono text-xs"
          data-testid="ping-url-prefix"
        >
          {base}/ping/{tokenPrefix}…
        </code>
      </div>
      <p className="text-xs text-muted-foreground">
        The full URL is shown only when the heartbeat is created or its URL rotated. Lost it? Rotate to get a
        new one; the old URL then stops working.
      </p>
    </div>
  );
}
