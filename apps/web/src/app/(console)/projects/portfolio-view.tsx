'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { HealthBadge, HealthWithRules } from '~/components/projects/health-badge';
import { ProgressFigures } from '~/components/projects/progress-figures';
import { ServiceFactsLine } from '~/components/projects/service-facts';
import { SectionCard } from '~/components/section-card';
import { TableCard } from '~/components/table-card';
import { formatDay, type PortfolioRow, predictionText } from '~/lib/projects';
import { useTRPC } from '~/trpc/react';
import { CreateProjectDialog } from './create-project-dialog';

/** Figures move with items and snapshots; a minute keeps an open page honest without loading the API. */
const REFRESH_MS = 60_000;

function ProjectRow({ row }: { row: PortfolioRow }) {
  const p = predictionText(row.prediction);
  return (
    <TableRow data-testid="project-row" data-name={row.project.name}>
      <TableCell>
        <Link className="font-medium underline" href={`/projects/${row.project.id}`}>
          {row.project.name}
        </Link>
        <div className="text-xs text-muted-foreground">{row.project.owner?.name ?? 'no owner'}</div>
      </TableCell>
      <TableCell>
        <HealthWithRules health={row.health.health} rules={row.health.rules} />
      </TableCell>
      <TableCell className="min-w-52">
        <ProgressFigures percent={row.percent} totals={row.totals} compact />
      </TableCell>
      <TableCell className="whitespace-nowrap">
        {row.nextMilestone ? (
          <>
            <div>{row.nextMilestone.name}</div>
            <div className="text-xs text-muted-foreground">due {formatDay(row.nextMilestone.dueDate)}</div>
          </>
        ) : (
          <span className="text-muted-foreground">none open</span>
        )}
      </TableCell>
      <TableCell>
        <div className="whitespace-nowrap">target {formatDay(row.targetDate)}</div>
        <div className="whitespace-nowrap" data-testid="predicted-date">
          predicted {p.date}
        </div>
        {p.range ? <div className="text-xs text-muted-foreground">{p.range}</div> : null}
      </TableCell>
      <TableCell>
        <div className="flex flex-col gap-1">
          {row.services.length === 0 ? (
            <span className="text-xs text-muted-foreground">none linked</span>
          ) : (
            row.services.map((s) => <ServiceFactsLine key={s.serviceId} s={s} />)
          )}
        </div>
      </TableCell>
    </TableRow>
  );
}

/** Projects whose health is not on track, with every rule that fired, and their milestones at risk. */
function AtRiskAcrossProjects({ rows }: { rows: readonly PortfolioRow[] }) {
  const risky = rows.filter((r) => r.health.health !== 'on_track' || r.atRiskMilestones > 0);
  return (
    <SectionCard
      title="At risk"
      description="Across projects: what fired and why."
      testId="portfolio-at-risk"
    >
      {risky.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nothing at risk.</p>
      ) : (
        <ul className="flex flex-col gap-3 text-sm">
          {risky.map((r) => (
            <li key={r.project.id} data-testid="at-risk-project" data-name={r.project.name}>
              <div className="flex items-center gap-2">
                <Link className="font-medium underline" href={`/projects/${r.project.id}`}>
                  {r.project.name}
                </Link>
                <HealthBadge health={r.health.health} />
              </div>
              <ul className="ml-4 list-disc text-muted-foreground">
                {r.health.rules.map((rule) => (
                  <li key={rule.id}>{rule.text}</li>
                ))}
                {r.atRiskMilestones > 0 ? (
                  <li>
                    {r.atRiskMilestones} {r.atRiskMilestones === 1 ? 'milestone' : 'milestones'} at risk
                  </li>
                ) : null}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </SectionCard>
  );
}

/** The portfolio (issue 17 point 3): every role reads; maintainers and admins may start a project. */
export function PortfolioView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const portfolio = useSuspenseQuery(
    trpc.progress.portfolio.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  const rows = portfolio.data.items;
  return (
    <ConsolePage
      title="Projects"
      description="Are we on track? Done by count and by estimate (they differ when small items close first), health by the documented rules, and the reliability of what each project ships."
      action={roleAtLeast(role, 'maintainer') ? <CreateProjectDialog /> : null}
      refreshed={[portfolio]}
    >
      <TableCard
        columns={[
          { label: 'Project' },
          { label: 'Health' },
          { label: 'Done' },
          { label: 'Next milestone' },
          { label: 'Target vs predicted' },
          { label: 'Services' },
        ]}
        rows={rows.length}
        empty="No projects yet."
        testId="portfolio"
      >
        {rows.map((r) => (
          <ProjectRow key={r.project.id} row={r} />
        ))}
      </TableCard>
      <AtRiskAcrossProjects rows={rows} />
    </ConsolePage>
  );
}
