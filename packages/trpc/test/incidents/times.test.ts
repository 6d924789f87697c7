import { describe, expect, it } from 'vitest';
import { incidentDurations, transitionStamps } from '../../src/services/incident-times';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));

describe('incidentDurations', () => {
  it('time to acknowledge runs from detection, time to resolve from the start of impact', () => {
    expect(
      incidentDurations({ startedAt: at(0), detectedAt: at(5), acknowledgedAt: at(12), resolvedAt: at(65) }),
    ).toEqual({ timeToAcknowledgeMs: 7 * 60_000, timeToResolveMs: 65 * 60_000 });
  });

  it('is null until acknowledged or resolved', () => {
    expect(
      incidentDurations({ startedAt: at(0), detectedAt: at(0), acknowledgedAt: null, resolvedAt: null }),
    ).toEqual({
      timeToAcknowledgeMs: null,
      timeToResolveMs: null,
    });
    expect(
      incidentDurations({ startedAt: at(0), detectedAt: at(1), acknowledgedAt: at(3), resolvedAt: null }),
    ).toEqual({ timeToAcknowledgeMs: 2 * 60_000, timeToResolveMs: null });
  });

  it('never answers a negative span when edited times overlap', () => {
    expect(
      incidentDurations({
        startedAt: at(30),
        detectedAt: at(30),
        acknowledgedAt: at(10),
        resolvedAt: at(20),
      }),
    ).toEqual({ timeToAcknowledgeMs: 0, timeToResolveMs: 0 });
  });
});

describe('transitionStamps', () => {
  const none = { acknowledgedAt: null, mitigatedAt: null };
  it('stamps what the move reaches or skips over, keeping first stamps', () => {
    expect(transitionStamps(none, 'investigating', 'identified', at(1), 'u1')).toEqual({
      acknowledgedAt: at(1),
      acknowledgedBy: 'u1',
    });
    expect(transitionStamps(none, 'investigating', 'monitoring', at(1), 'u1')).toEqual({
      acknowledgedAt: at(1),
      acknowledgedBy: 'u1',
      mitigatedAt: at(1),
    });
    expect(
      transitionStamps({ acknowledgedAt: at(0), mitigatedAt: null }, 'identified', 'resolved', at(2), 'u2'),
    ).toEqual({ mitigatedAt: at(2), resolvedAt: at(2) });
    expect(
      transitionStamps({ acknowledgedAt: at(0), mitigatedAt: at(1) }, 'monitoring', 'resolved', at(2), null),
    ).toEqual({ resolvedAt: at(2) });
  });

  it('a reopen clears only the resolved time', () => {
    expect(
      transitionStamps(
        { acknowledgedAt: at(0), mitigatedAt: at(1) },
        'resolved',
        'investigating',
        at(9),
        'u',
      ),
    ).toEqual({ resolvedAt: null });
  });
});
