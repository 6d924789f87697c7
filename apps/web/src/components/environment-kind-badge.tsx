import { Badge } from '@sextant/ui';

/** Production in red, everything else as non-production: the one distinction the console draws. */
export function EnvironmentKindBadge({ isProduction }: { isProduction: boolean }) {
  return (
    <Badge tone={isProduction ? 'danger' : 'info'}>{isProduction ? 'production' : 'non-production'}</Badge>
  );
}
