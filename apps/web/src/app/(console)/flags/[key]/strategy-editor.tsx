'use client';

import { FLAG_CONFIG_LIMITS as L, OPERATORS, type Strategy } from '@sextant/flags';
import { Checkbox, FieldError, Input, Label, Select, Textarea } from '@sextant/ui';
import {
  type Draft,
  type DraftConstraint,
  type DraftStrategy,
  newConstraint,
  newStrategy,
  SINGLE_VALUE,
} from '~/lib/flags';
import { EditButton } from './edit-button';
import type { IssueAt } from './environment-editor';

const TYPE_LABEL: Record<Strategy['type'], string> = {
  default: 'Everyone (who meets the constraints)',
  gradualRollout: 'Gradual rollout',
  userIds: 'User ids',
};

function Problem({ at, path }: { at: IssueAt; path: string }) {
  const message = at(path);
  return message ? <FieldError>{message}</FieldError> : null;
}

/** Strategies (OR), each with its own fields and constraints (AND). */
export function StrategiesEditor({
  flagKey,
  draft,
  onChange,
  issueAt,
}: {
  flagKey: string;
  draft: Draft;
  onChange: (d: Draft) => void;
  issueAt: IssueAt;
}) {
  const set = (strategies: DraftStrategy[]) => onChange({ ...draft, strategies });
  const patch = (i: number, p: Partial<DraftStrategy>) =>
    set(draft.strategies.map((s, j) => (j === i ? { ...s, ...p } : s)));
  return (
    <div className="flex flex-col gap-3" data-testid="strategies">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Strategies</h3>
        <EditButton
          disabled={draft.strategies.length >= L.maxStrategies}
          onClick={() => set([...draft.strategies, newStrategy()])}
        >
          Add strategy
        </EditButton>
      </div>
      {draft.strategies.length === 0 ? (
        <p className="text-sm text-muted-foreground">No strategies: on for everyone while enabled.</p>
      ) : null}
      {draft.strategies.map((s, i) => {
        const id = `strategy-${i}`;
        const at = `strategies.${i}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: strategies have no identity but their position
          <div key={i} className="flex flex-col gap-3 rounded-md border p-3" data-testid="strategy">
            <div className="flex flex-wrap items-end gap-2">
              <div className="flex flex-col gap-1.5">
                <Label htmlFor={`${id}-type`}>Strategy {i + 1}</Label>
                <Select
                  id={`${id}-type`}
                  value={s.type}
                  onChange={(e) => {
                    const type = e.target.value as Strategy['type'];
                    patch(i, { ...newStrategy(type), constraints: s.constraints });
                  }}
                >
                  {Object.entries(TYPE_LABEL).map(([v, label]) => (
                    <option key={v} value={v}>
                      {label}
                    </option>
                  ))}
                </Select>
              </div>
              <EditButton onClick={() => set(draft.strategies.filter((_, j) => j !== i))}>
                Remove strategy
              </EditButton>
            </div>
            {s.type === 'gradualRollout' ? (
              <div className="grid gap-3 sm:grid-cols-3">
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor={`${id}-percentage`}>Rollout (%)</Label>
                  <Input
                    id={`${id}-percentage`}
                    type="number"
                    min={0}
                    max={100}
                    step={1}
                    inputMode="numeric"
                    value={s.percentage}
                    onChange={(e) => patch(i, { percentage: e.target.value })}
                  />
                  <Problem at={issueAt} path={`${at}.percentage`} />
                </div>
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor={`${id}-stickiness`}>Stickiness</Label>
                  <Input
                    id={`${id}-stickiness`}
                    list="stickiness-options"
                    value={s.stickiness}
                    maxLength={L.maxKeyLength}
                    onChange={(e) => patch(i, { stickiness: e.target.value })}
                  />
                  <Problem at={issueAt} path={`${at}.stickiness`} />
                </div>
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor={`${id}-group`}>Group id</Label>
                  <Input
                    id={`${id}-group`}
                    value={s.groupId}
                    placeholder={flagKey}
                    maxLength={L.maxKeyLength}
                    onChange={(e) => patch(i, { groupId: e.target.value })}
                  />
                  <Problem at={issueAt} path={`${at}.groupId`} />
                </div>
                <datalist id="stickiness-options">
                  {['default', 'random', 'userId', 'sessionId'].map((v) => (
                    <option key={v} value={v} />
                  ))}
                </datalist>
              </div>
            ) : null}
            {s.type === 'userIds' ? (
              <div className="flex flex-col gap-1.5">
                <Label htmlFor={`${id}-users`}>User ids (one per line, at most {L.maxUserIds})</Label>
                <Textarea
                  id={`${id}-users`}
                  rows={3}
                  value={s.userIds}
                  onChange={(e) => patch(i, { userIds: e.target.value })}
                />
                <Problem at={issueAt} path={`${at}.userIds`} />
              </div>
            ) : null}
            <Constraints
              id={id}
              at={at}
              constraints={s.constraints}
              onChange={(constraints) => patch(i, { constraints })}
              issueAt={issueAt}
            />
            <Problem at={issueAt} path={at} />
          </div>
        );
      })}
      <Problem at={issueAt} path="strategies" />
    </div>
  );
}

function Constraints({
  id,
  at,
  constraints,
  onChange,
  issueAt,
}: {
  id: string;
  at: string;
  constraints: DraftConstraint[];
  onChange: (c: DraftConstraint[]) => void;
  issueAt: IssueAt;
}) {
  const patch = (k: number, p: Partial<DraftConstraint>) =>
    onChange(constraints.map((c, j) => (j === k ? { ...c, ...p } : c)));
  return (
    <div className="flex flex-col gap-2">
      {constraints.map((c, k) => {
        const cid = `${id}-c${k}`;
        const cat = `${at}.constraints.${k}`;
        const single = SINGLE_VALUE.test(c.operator);
        return (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: constraints have no identity but their position
            key={k}
            className="grid gap-2 rounded-md bg-muted/40 p-2 sm:grid-cols-[1fr_1fr_2fr]"
            data-testid="constraint"
          >
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${cid}-field`} className="text-xs">
                Context field
              </Label>
              <Input
                id={`${cid}-field`}
                value={c.contextName}
                maxLength={L.maxKeyLength}
                onChange={(e) => patch(k, { contextName: e.target.value })}
              />
              <Problem at={issueAt} path={`${cat}.contextName`} />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${cid}-op`} className="text-xs">
                Operator
              </Label>
              <Select
                id={`${cid}-op`}
                value={c.operator}
                onChange={(e) => patch(k, { operator: e.target.value as DraftConstraint['operator'] })}
              >
                {OPERATORS.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </Select>
              <div className="flex items-center gap-1.5 text-xs">
                <Checkbox
                  id={`${cid}-not`}
                  checked={c.inverted}
                  onChange={(e) => patch(k, { inverted: e.target.checked })}
                />
                <Label htmlFor={`${cid}-not`} className="text-xs">
                  Not (inverted)
                </Label>
              </div>
              {c.operator.startsWith('STR_') ? (
                <div className="flex items-center gap-1.5 text-xs">
                  <Checkbox
                    id={`${cid}-ci`}
                    checked={c.caseInsensitive}
                    onChange={(e) => patch(k, { caseInsensitive: e.target.checked })}
                  />
                  <Label htmlFor={`${cid}-ci`} className="text-xs">
                    Case-insensitive
                  </Label>
                </div>
              ) : null}
              <Problem at={issueAt} path={`${cat}.operator`} />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={`${cid}-values`} className="text-xs">
                {single ? 'Value' : 'Values (one per line, any matches)'}
              </Label>
              {single ? (
                <Input
                  id={`${cid}-values`}
                  value={c.values}
                  maxLength={L.maxValueLength}
                  onChange={(e) => patch(k, { values: e.target.value })}
                />
              ) : (
                <Textarea
                  id={`${cid}-values`}
                  rows={2}
                  value={c.values}
                  onChange={(e) => patch(k, { values: e.target.value })}
                />
              )}
              <Problem at={issueAt} path={`${cat}.${single ? 'value' : 'values'}`} />
              <EditButton
                className="self-end"
                onClick={() => onChange(constraints.filter((_, j) => j !== k))}
              >
                Remove constraint
              </EditButton>
            </div>
          </div>
        );
      })}
      <EditButton
        className="self-start"
        disabled={constraints.length >= L.maxConstraintsPerStrategy}
        onClick={() => onChange([...constraints, newConstraint()])}
      >
        Add constraint
      </EditButton>
    </div>
  );
}
