import { routeNodeSchema } from '@sextant/trpc/schemas';
import { describe, expect, it } from 'vitest';
import {
  effectiveOf,
  INCIDENT_CHOICES,
  incidentChoiceOf,
  incidentOfChoice,
  incidentText,
} from '../src/lib/route-tree';

const node = (incident?: { severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4' } | null) => ({
  id: 'n',
  matchers: [],
  continue: false,
  children: [],
  ...(incident === undefined ? {} : { incident }),
});

describe("the route editor's incident option", () => {
  it('round-trips every choice through the node field, and the field passes the shared schema', () => {
    for (const choice of INCIDENT_CHOICES) {
      const incident = incidentOfChoice(choice);
      expect(incidentChoiceOf(incident)).toBe(choice);
      expect(routeNodeSchema.safeParse(node(incident)).success).toBe(true);
    }
    expect(INCIDENT_CHOICES).toEqual(['inherit', 'off', 'SEV1', 'SEV2', 'SEV3', 'SEV4']);
  });

  it('shows the root unset as off (it has nothing to inherit)', () => {
    expect(incidentChoiceOf(undefined, true)).toBe('off');
    expect(incidentChoiceOf(undefined)).toBe('inherit');
  });

  it('inherits the parent option for display, with the route it comes from', () => {
    const parent = effectiveOf({ ...node({ severity: 'SEV2' }), id: 'root' }, null);
    expect(effectiveOf(node(), parent).incident).toEqual({ value: { severity: 'SEV2' }, from: 'root' });
    expect(effectiveOf(node(null), parent).incident).toEqual({ value: null, from: 'n' });
    expect(incidentText(parent.incident.value)).toBe('opens SEV2');
    expect(incidentText(null)).toBe('off');
    expect(incidentText(undefined)).toBe('off');
  });
});
