// Flags next to what they affect (issue 18): chart marker labels and the incident/alert card's wording.

export interface FlagChangeLine {
  flagKey: string;
  environment: string | null;
  summary: string;
}

/**
 * "flag checkout.new-flow: PRO disabled" from the change line "PRO: disabled"; a chart of one environment leaves
 * the environment out, and the flag's own changes read as they are ("flag x: created (boolean)").
 */
export function flagMarkerLabel(change: FlagChangeLine, oneEnvironment: boolean) {
  return `flag ${change.flagKey}: ${changeText(change, oneEnvironment)}`;
}

/** "PRO disabled" (or "disabled" when the environment goes without saying) from "PRO: disabled". */
export function changeText(change: Omit<FlagChangeLine, 'flagKey'>, oneEnvironment = false) {
  const prefix = change.environment === null ? null : `${change.environment}: `;
  if (!prefix || !change.summary.startsWith(prefix)) return change.summary;
  return `${oneEnvironment ? '' : `${change.environment} `}${change.summary.slice(prefix.length)}`;
}

/** Of each flag's last change before the start, the newest: the flag flipped before the incident. */
export function flippedBefore<T extends { key: string; lastChange: { at: Date } | null }>(
  flags: readonly T[],
): { flag: T; change: NonNullable<T['lastChange']> } | null {
  let best: { flag: T; change: NonNullable<T['lastChange']> } | null = null;
  for (const flag of flags) {
    const change = flag.lastChange as NonNullable<T['lastChange']> | null;
    if (change && (!best || change.at.getTime() > best.change.at.getTime())) best = { flag, change };
  }
  return best;
}
