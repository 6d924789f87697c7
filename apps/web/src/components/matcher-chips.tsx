import { type AlertMatcher, matcherText } from '~/lib/matcher-text';

/** A matcher set as chips, one per matcher, in the text Alertmanager uses (`service=~"api|web"` reads as service=~api|web). */
export function MatcherChips({ matchers }: { matchers: readonly AlertMatcher[] }) {
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Matchers">
      {matchers.map((m) => (
        <li
          key={matcherText(m)}
          data-testid="matcher-chip"
          className="rounded-md border bg-muted px-1.5 py-0.5 font-mono text-xs"
        >
          {matcherText(m)}
        </li>
      ))}
    </ul>
  );
}
