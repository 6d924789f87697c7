import { describe, expect, it } from 'vitest';
import { type AlertMatcher, type SilenceInput, silenceInput } from '../../src/schemas/alerting-matchers';
import {
  compileSilences,
  planCreate,
  planEdit,
  planExpire,
  previewSilence,
  type Silence,
  silencedBy,
  silenceState,
  validateSilence,
} from '../../src/services/alerting/silences';
import { m, refusal } from './helpers';

const T0 = Date.UTC(2026, 10, 30, 12);
/** A time `min` minutes after T0. */
const at = (min: number) => new Date(T0 + min * 60_000);

const silence = (over: Partial<Silence> = {}): Silence => ({
  id: 's1',
  matchers: [m('alertname', '=', 'DiskFull')],
  startsAt: at(0),
  endsAt: at(60),
  createdBy: 'ana',
  comment: 'disk swap',
  ...over,
});
/** The edit form's input for `s`, with changes. */
const inputOf = (s: Silence, over: Partial<SilenceInput> = {}): SilenceInput => ({
  matchers: s.matchers,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  createdBy: s.createdBy,
  comment: s.comment,
  ...over,
});

describe('B19 silence edit rules', () => {
  it('B19 editing endsAt of an active silence keeps its id', () => {
    const s = silence();
    expect(planEdit(s, inputOf(s, { endsAt: at(120) }), at(10))).toEqual({
      kind: 'update',
      id: 's1',
      set: { startsAt: at(0), endsAt: at(120), createdBy: 'ana', comment: 'disk swap' },
    });
  });

  it('B19 editing matchers of an active silence expires it and creates a new one', () => {
    const s = silence();
    const edit = inputOf(s, { matchers: [m('alertname', '=', 'DiskFull'), m('host', '=', 'db1')] });
    expect(planEdit(s, edit, at(10))).toEqual({
      kind: 'replace',
      expire: { id: 's1', startsAt: at(0), endsAt: at(10) },
      create: { ...edit, startsAt: at(10) },
    });
  });

  it('B19 moving startsAt of an active silence expires it and creates a new one', () => {
    const s = silence();
    const plan = planEdit(s, inputOf(s, { startsAt: at(20) }), at(10));
    expect(plan).toMatchObject({ kind: 'replace', expire: { id: 's1', endsAt: at(10) } });
    expect(plan.kind === 'replace' && plan.create.startsAt).toEqual(at(20));
  });

  it('B19 expiring a pending silence sets both ends to now', () => {
    expect(planExpire(silence({ startsAt: at(30) }), at(10))).toEqual({
      id: 's1',
      startsAt: at(10),
      endsAt: at(10),
    });
  });

  it('B19 expiring twice is a no-op', () => {
    for (const s of [silence(), silence({ startsAt: at(30) })]) {
      const once = planExpire(s, at(10))!;
      const expired = { ...s, ...once };
      expect(silenceState(expired, at(10))).toBe('expired');
      expect(planExpire(expired, at(10))).toBeNull();
      expect(planExpire(expired, at(11))).toBeNull();
    }
  });

  it('B19 a silence whose only matcher is job=~".*" is rejected', () => {
    const err = refusal(() => planCreate(inputOf(silence(), { matchers: [m('job', '=~', '.*')] }), at(0)));
    expect(err.reason).toBe('MATCHES_EVERYTHING');
    expect(err.appCode).toBe('VALIDATION_FAILED');
    expect(err.path).toEqual(['matchers']);
  });
});

describe('A6 silence validity', () => {
  const valid = (matchers: AlertMatcher[]) => () =>
    validateSilence({ matchers, startsAt: at(0), endsAt: at(1) });
  it.each([
    [[m('job', '!=', 'x')]],
    [[m('job', '=', '')]],
    [[m('job', '!~', '.+')]],
    [[m('job', '=~', 'api|')]],
    [[m('job', '=~', '.*'), m('env', '!=', 'dev')]],
  ])('refuses %o: every matcher also matches ""', (matchers) => {
    expect(refusal(valid(matchers)).reason).toBe('MATCHES_EVERYTHING');
  });

  it.each([
    [[m('job', '=~', '.+')]],
    [[m('job', '!=', '')]],
    [[m('job', '=~', '.*'), m('alertname', '=', 'X')]],
  ])('accepts %o: one matcher does not match ""', (matchers) => {
    expect(valid(matchers)).not.toThrow();
  });

  it('refuses a bad regex at its index before anything else', () => {
    const err = refusal(valid([m('alertname', '=', 'X'), m('job', '=~', '(')]));
    expect([err.reason, err.path]).toEqual(['INVALID_REGEX', ['matchers', 1, 'value']]);
  });

  it('the schema refuses an end not after the start, and empty author or comment, naming the field', () => {
    const base = { matchers: [m('a', '=', 'x')], endsAt: at(5), createdBy: 'ana', comment: 'why' };
    expect(silenceInput.safeParse(base).success).toBe(true);
    const paths = (v: unknown) => silenceInput.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ ...base, startsAt: at(5) })).toEqual(['endsAt']);
    expect(paths({ ...base, createdBy: '  ' })).toEqual(['createdBy']);
    expect(paths({ ...base, comment: undefined })).toEqual(['comment']);
    expect(paths({ ...base, matchers: [] })).toEqual(['matchers']);
  });
});

describe('A6 silence state and muting', () => {
  it.each([
    [-1, 'pending'],
    [0, 'active'],
    [59, 'active'],
    [60, 'expired'],
  ] as const)('at %i min a 0..60 min silence is %s (end exclusive: our rule)', (min, state) => {
    expect(silenceState(silence(), at(min))).toBe(state);
  });

  it('only active silences mute; a pending one starts muting at its startsAt without recompiling', () => {
    const compiled = compileSilences([
      silence({ id: 'now' }),
      silence({ id: 'later', startsAt: at(30) }),
      silence({ id: 'past', startsAt: at(-60), endsAt: at(-1) }),
      silence({ id: 'other', matchers: [m('alertname', '=', 'CPU')] }),
    ]);
    const labels = { alertname: 'DiskFull', host: 'db1' };
    expect(silencedBy(compiled, labels, at(10))).toEqual(['now']);
    expect(silencedBy(compiled, labels, at(30))).toEqual(['now', 'later']);
    expect(silencedBy(compiled, labels, at(60))).toEqual([]);
  });
});

describe('A6.4 create and edit details', () => {
  it('create clamps a start in the past to now, and refuses a silence entirely in the past', () => {
    const s = silence();
    expect(planCreate(inputOf(s, { startsAt: at(-5) }), at(0))).toMatchObject({
      create: { startsAt: at(0) },
    });
    expect(planCreate(inputOf(s, { startsAt: undefined }), at(3))).toMatchObject({
      create: { startsAt: at(3) },
    });
    const err = refusal(() => planCreate(inputOf(s, { startsAt: at(-10), endsAt: at(-5) }), at(0)));
    expect([err.reason, err.path]).toEqual(['ENDS_BEFORE_START', ['endsAt']]);
  });

  it('a pending silence is updated in place with the same matchers and a start not in the past', () => {
    const s = silence({ startsAt: at(30) });
    expect(planEdit(s, inputOf(s, { startsAt: at(40), comment: 'moved' }), at(10))).toMatchObject({
      kind: 'update',
      id: 's1',
      set: { startsAt: at(40), comment: 'moved' },
    });
  });

  it('a pending silence with new matchers, or a start moved into the past, is expired (both ends now) and replaced', () => {
    const s = silence({ startsAt: at(30) });
    const expire = { id: 's1', startsAt: at(10), endsAt: at(10) };
    expect(planEdit(s, inputOf(s, { matchers: [m('alertname', '=', 'CPU')] }), at(10))).toMatchObject({
      kind: 'replace',
      expire,
      create: { startsAt: at(30), matchers: [m('alertname', '=', 'CPU')] },
    });
    expect(planEdit(s, inputOf(s, { startsAt: at(5) }), at(10))).toMatchObject({
      kind: 'replace',
      expire,
      create: { startsAt: at(10) },
    });
  });

  it('matcher order does not count as an edit; an omitted startsAt keeps the current one', () => {
    const s = silence({ matchers: [m('a', '=', 'x'), m('b', '=', 'y')] });
    const edit = inputOf(s, { matchers: [m('b', '=', 'y'), m('a', '=', 'x')], startsAt: undefined });
    expect(planEdit(s, edit, at(10)).kind).toBe('update');
  });

  it('an active silence cannot be edited to end in the past (expire it instead)', () => {
    const s = silence();
    const err = refusal(() => planEdit(s, inputOf(s, { endsAt: at(5) }), at(10)));
    expect([err.reason, err.path]).toEqual(['ENDS_BEFORE_START', ['endsAt']]);
  });

  it('an expired silence cannot be edited (our rule; AM would create a new one)', () => {
    const s = silence();
    const err = refusal(() => planEdit(s, inputOf(s, { endsAt: at(120) }), at(60)));
    expect([err.reason, err.path]).toEqual(['SILENCE_EXPIRED', ['id']]);
  });
});

describe('preview before saving', () => {
  const alerts = [
    { id: 'a', labels: { alertname: 'DiskFull', host: 'db1' } },
    { id: 'b', labels: { alertname: 'DiskFull', host: 'db2' } },
    { id: 'c', labels: { alertname: 'CPU', host: 'db1' } },
  ];

  it('lists the alerts a draft would mute and the state it would start in', () => {
    const draft = { matchers: [m('alertname', '=', 'DiskFull'), m('host', '=~', 'db[12]')], endsAt: at(60) };
    expect(previewSilence(draft, alerts, at(0))).toEqual({ state: 'active', muted: alerts.slice(0, 2) });
    expect(previewSilence({ ...draft, startsAt: at(30) }, alerts, at(0)).state).toBe('pending');
  });

  it('shows what a match-everything draft would mute, though saving it is refused', () => {
    expect(
      previewSilence({ matchers: [m('host', '=~', '.*')], endsAt: at(60) }, alerts, at(0)).muted,
    ).toEqual(alerts);
  });
});
