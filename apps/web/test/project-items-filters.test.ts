import { describe, expect, it } from 'vitest';
import { readFilters, toListInput, toSearch } from '../src/app/(console)/projects/[id]/items/filters';

const PROJECT = '0b5f1c1e-8a44-4a5e-9d55-3f1f7a3c2b10';
const MILESTONE = '7d0b8a52-0c3e-4a8e-bd1f-8e7f0c2f9a11';
const from = (search: string) => {
  const params = new URLSearchParams(search);
  return readFilters((key) => params.get(key));
};

describe('the work items page filters (issue 17 point 1)', () => {
  it('reads the URL into the list input, "none" meaning items without one', () => {
    const f = from(`?status=done&milestone=none&assignee=u1&label=api&after=${MILESTONE}`);
    expect(toListInput(PROJECT, f)).toEqual({
      projectId: PROJECT,
      status: ['done'],
      milestoneId: null,
      assigneeUserId: 'u1',
      label: 'api',
      cursor: MILESTONE,
      limit: 50,
    });
    expect(toListInput(PROJECT, from(`?milestone=${MILESTONE}&assignee=none`))).toMatchObject({
      milestoneId: MILESTONE,
      assigneeUserId: null,
      status: undefined,
    });
  });

  it('drops what the API would refuse instead of failing the page', () => {
    expect(from(`?status=closed&milestone=abc&label=a;b&after=nope&assignee=${'x'.repeat(101)}`)).toEqual({
      status: undefined,
      milestone: undefined,
      assignee: undefined,
      label: undefined,
      after: undefined,
    });
  });

  it('writes back only the filters that are set, so a link round-trips', () => {
    const f = { status: 'todo' as const, milestone: MILESTONE, label: 'ui' };
    expect(toSearch(f)).toBe(`?status=todo&milestone=${MILESTONE}&label=ui`);
    expect(from(toSearch(f))).toEqual({ ...f, assignee: undefined, after: undefined });
    expect(toSearch({})).toBe('?');
  });
});
