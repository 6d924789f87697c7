/**
 * Silence decisions of spec A6/B19, pure and on an injected `now`: validity, state, which silences mute a label
 * set, and the create/edit/expire plans a service executes in one transaction (history is kept: edits the spec
 * does not allow in place expire the old silence and create a new one).
 */
import type { AlertMatcher, SilenceInput } from '../../schemas/alerting-matchers';
import {
  AlertingInputError,
  type CompiledMatchers,
  checkMatcherSet,
  compileMatchers,
  type Labels,
  matchesEmpty,
} from './matchers';

export interface Silence {
  id: string;
  matchers: AlertMatcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
}

/** A silence not stored yet: what a plan asks the service to insert (it picks the id). */
export type SilenceDraft = Omit<Silence, 'id'>;

export type SilenceState = 'pending' | 'active' | 'expired';

/**
 * State at `now` over [startsAt, endsAt). Our rule: the end is exclusive (AM's is inclusive), so expiring at `now`
 * mutes nothing from `now` on, and an expired pending silence (startsAt = endsAt = now) is never active.
 */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: Date): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now >= s.endsAt) return 'expired';
  return 'active';
}

/**
 * Refuses what AM's validateSilence refuses: bad regexes, a set in which every matcher also matches "" (it would
 * mute every alert, e.g. job=~".*"), and an end not after the start.
 */
export function validateSilence(s: Pick<Silence, 'matchers' | 'startsAt' | 'endsAt'>): void {
  checkMatcherSet(s.matchers, ['matchers']);
  if (s.matchers.every(matchesEmpty)) {
    throw new AlertingInputError(
      'MATCHES_EVERYTHING',
      'A silence needs at least one matcher that does not match the empty string; these would mute every alert.',
      ['matchers'],
    );
  }
  if (s.endsAt <= s.startsAt) {
    throw new AlertingInputError('ENDS_BEFORE_START', 'endsAt must be after startsAt (and after now).', [
      'endsAt',
    ]);
  }
}

const later = (a: Date, b: Date) => (a > b ? a : b);

/** The silence a create inserts: a start in the past (or none) becomes now, as in AM. */
function draftOf(input: SilenceInput, now: Date): SilenceDraft {
  const draft = {
    matchers: input.matchers,
    startsAt: later(input.startsAt ?? now, now),
    endsAt: input.endsAt,
    createdBy: input.createdBy,
    comment: input.comment,
  };
  validateSilence(draft);
  return draft;
}

export type SilencePlan =
  | { kind: 'create'; create: SilenceDraft }
  | { kind: 'update'; id: string; set: Pick<Silence, 'startsAt' | 'endsAt' | 'createdBy' | 'comment'> }
  | { kind: 'replace'; expire: ExpirePlan; create: SilenceDraft };

export interface ExpirePlan {
  id: string;
  startsAt: Date;
  endsAt: Date;
}

export function planCreate(input: SilenceInput, now: Date): SilencePlan {
  return { kind: 'create', create: draftOf(input, now) };
}

/** Expire (and delete, which is expire): active -> ends now; pending -> starts and ends now; expired -> null. */
export function planExpire(s: Silence, now: Date): ExpirePlan | null {
  const state = silenceState(s, now);
  if (state === 'expired') return null;
  return { id: s.id, startsAt: state === 'pending' ? now : s.startsAt, endsAt: now };
}

const matcherKey = (m: AlertMatcher) => JSON.stringify([m.label, m.op, m.value]);

/** Same matchers in any order (AM compares lists; order carries no meaning in an AND set). */
export function sameMatchers(a: readonly AlertMatcher[], b: readonly AlertMatcher[]): boolean {
  const keys = (ms: readonly AlertMatcher[]) => [...new Set(ms.map(matcherKey))].sort().join('\n');
  return keys(a) === keys(b);
}

/**
 * An edit, by AM's canUpdate: in place only with the same matchers and, when active, the same start and an end
 * still ahead; when pending, a start not in the past. Anything else expires the old one and creates a new one.
 * Our rule: an expired silence is refused (AM would create a new one); the console offers "recreate" instead.
 * An omitted startsAt keeps the current one.
 */
export function planEdit(existing: Silence, input: SilenceInput, now: Date): SilencePlan {
  const state = silenceState(existing, now);
  if (state === 'expired') {
    throw new AlertingInputError(
      'SILENCE_EXPIRED',
      'This silence has expired and cannot be edited; create a new one.',
      ['id'],
    );
  }
  const startsAt = input.startsAt ?? existing.startsAt;
  const set = { startsAt, endsAt: input.endsAt, createdBy: input.createdBy, comment: input.comment };
  validateSilence({ matchers: input.matchers, startsAt, endsAt: input.endsAt });
  const inPlace =
    sameMatchers(existing.matchers, input.matchers) &&
    (state === 'active'
      ? startsAt.getTime() === existing.startsAt.getTime() && input.endsAt > now
      : startsAt >= now);
  if (inPlace) return { kind: 'update', id: existing.id, set };
  const create = draftOf({ ...input, startsAt }, now);
  return { kind: 'replace', expire: planExpire(existing, now)!, create };
}

export interface CompiledSilence {
  silence: Silence;
  matcher: CompiledMatchers;
}

/** Compiles silences once, so a tick tests every alert against them without recompiling regexes. */
export function compileSilences(silences: readonly Silence[]): CompiledSilence[] {
  return silences.map((silence) => ({ silence, matcher: compileMatchers(silence.matchers) }));
}

/** Ids of the silences muting these labels at `now`: only active ones; pending ones start muting at startsAt. */
export function silencedBy(silences: readonly CompiledSilence[], labels: Labels, now: Date): string[] {
  return silences
    .filter((s) => silenceState(s.silence, now) === 'active' && s.matcher.matches(labels))
    .map((s) => s.silence.id);
}

/**
 * "Preview before saving": which of `alerts` the draft's matchers select, and the state it would start in.
 * Only regexes are checked, so even a refused draft (e.g. one matching everything) shows what it would mute.
 */
export function previewSilence<A extends { labels: Labels }>(
  draft: Pick<SilenceInput, 'matchers' | 'startsAt' | 'endsAt'>,
  alerts: readonly A[],
  now: Date,
): { state: SilenceState; muted: A[] } {
  checkMatcherSet(draft.matchers, ['matchers']);
  const matcher = compileMatchers(draft.matchers);
  const state = silenceState({ startsAt: later(draft.startsAt ?? now, now), endsAt: draft.endsAt }, now);
  return { state, muted: alerts.filter((a) => matcher.matches(a.labels)) };
}
