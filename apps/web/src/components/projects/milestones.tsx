import { Badge, TableCell, TableRow } from '@sextant/ui';
import { TableCard } from '~/components/table-card';
import { formatDay, type MilestoneView } from '~/lib/projects';

/** Milestones in order: % by count and by estimate, due and predicted dates, the risk flag with its reason. */
export function MilestonesCard({ milestones }: { milestones: readonly MilestoneView[] }) {
  return (
    <TableCard
      title="Milestones"
      description="In order; a milestone's predicted date counts the open work of those before it too."
      columns={[
        { label: 'Milestone' },
        { label: 'Due' },
        { label: 'By count', right: true },
        { label: 'By estimate', right: true },
        { label: 'Predicted' },
        { label: 'Risk' },
      ]}
      rows={milestones.length}
      empty="No milestones."
      testId="milestones"
    >
      {milestones.map((m) => (
        <TableRow key={`${m.position}-${m.name}`} data-testid="milestone-row" data-name={m.name}>
          <TableCell className="font-medium">{m.name}</TableCell>
          <TableCell className="whitespace-nowrap">{formatDay(m.dueDate)}</TableCell>
          <TableCell className="text-right tabular-nums">{m.byCount} %</TableCell>
          <TableCell className="text-right tabular-nums">{m.byEstimate} %</TableCell>
          <TableCell className="whitespace-nowrap">
            {m.open ? formatDay(m.predictedDate) : <span className="text-muted-foreground">done</span>}
          </TableCell>
          <TableCell>
            {m.risk ? (
              <Badge tone="warning" title={m.risk.text} data-risk={m.risk.id}>
                At risk
              </Badge>
            ) : (
              <span className="text-muted-foreground">—</span>
            )}
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}

/** What is at risk and why: the project's fired rules, then each milestone at risk with its reason. */
export function AtRiskList({
  rules,
  milestones,
  overdue,
}: {
  rules: readonly { id: string; text: string }[];
  milestones: readonly MilestoneView[];
  overdue: { total: number; items: readonly { title: string; dueDate: string }[] };
}) {
  const items = [
    ...rules.map((r) => ({ key: `rule-${r.id}`, what: 'Project', text: r.text })),
    ...milestones.flatMap((m) =>
      m.risk ? [{ key: `m-${m.position}-${m.name}`, what: m.name, text: m.risk.text }] : [],
    ),
    ...overdue.items.map((i, n) => ({
      key: `item-${n}`,
      what: i.title,
      text: `open and past its due date (${formatDay(i.dueDate)}).`,
    })),
    ...(overdue.total > overdue.items.length
      ? [{ key: 'item-more', what: 'Items', text: `${overdue.total - overdue.items.length} more overdue.` }]
      : []),
  ];
  return items.length === 0 ? (
    <p className="text-sm text-muted-foreground" data-testid="at-risk-empty">
      Nothing at risk.
    </p>
  ) : (
    <ul className="flex flex-col gap-1 text-sm" data-testid="at-risk">
      {items.map((i) => (
        <li key={i.key} data-testid="at-risk-item">
          <span className="font-medium">{i.what}</span>: {i.text}
        </li>
      ))}
    </ul>
  );
}
