import { Stat } from '@sextant/ui';
import { LocalTime } from '~/lib/local-time';
import { type DashboardData, formatDay, HEALTH_LABEL, predictionText } from '~/lib/projects';
import { SectionCard } from '../section-card';
import { BurnUpChart } from './burn-up-chart';
import { HealthWithRules } from './health-badge';
import { AtRiskList, MilestonesCard } from './milestones';
import { ProgressFigures } from './progress-figures';
import { ServiceFactsCard } from './service-facts';

/** Name, owner, dates, health with the rules that fired in words, and the owner's latest dated note. */
export function DashboardHeader({ data, actions }: { data: DashboardData; actions?: React.ReactNode }) {
  const { project, health, latestUpdate } = data;
  return (
    <header className="flex flex-col gap-3" data-testid="project-header">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">{project.name}</h1>
          <p className="text-sm text-muted-foreground">
            Owner {project.owner?.name ?? '—'} · started {formatDay(project.startDate)} · target{' '}
            {project.targetDate ? formatDay(project.targetDate) : 'not set'}
          </p>
        </div>
        {actions ? <div className="flex items-center gap-2 print:hidden">{actions}</div> : null}
      </div>
      <HealthWithRules health={health.health} rules={health.rules} full />
      {latestUpdate ? (
        <blockquote className="border-l-2 pl-3 text-sm" data-testid="latest-update">
          <p className="whitespace-pre-wrap">{latestUpdate.note}</p>
          <footer className="mt-1 text-xs text-muted-foreground">
            {latestUpdate.author ?? 'The owner'}, <LocalTime value={new Date(latestUpdate.createdAt)} />
            {latestUpdate.health ? ` · said ${HEALTH_LABEL[latestUpdate.health].toLowerCase()}` : ''}
          </footer>
        </blockquote>
      ) : (
        <p className="text-sm text-muted-foreground" data-testid="latest-update">
          No update from the owner yet.
        </p>
      )}
    </header>
  );
}

/** Target vs predicted with its measured range, the next milestone and the throughput behind the prediction. */
export function DatesCard({ data }: { data: DashboardData }) {
  const p = predictionText(data.prediction);
  const next = data.nextMilestone;
  return (
    <SectionCard title="Dates" testId="project-dates">
      <dl className="grid grid-cols-2 gap-4">
        <Stat label="Target" value={formatDay(data.project.targetDate)} />
        <Stat
          label="Predicted"
          value={
            <span className="flex flex-col">
              <span data-testid="predicted-date">{p.date}</span>
              {p.range ? <span className="text-xs font-normal text-muted-foreground">{p.range}</span> : null}
            </span>
          }
        />
        <Stat
          label="Next milestone"
          value={
            next ? (
              <span className="flex flex-col" data-testid="next-milestone">
                <span>{next.name}</span>
                <span className="text-xs font-normal text-muted-foreground">
                  due {formatDay(next.dueDate)}
                </span>
              </span>
            ) : (
              'none open'
            )
          }
        />
        <Stat
          label="Throughput"
          value={
            <span className="flex flex-col">
              <span>{Math.round(data.prediction.perWeek * 10) / 10} points/week</span>
              <span className="text-xs font-normal text-muted-foreground">
                last 3 weeks: {data.prediction.weekly.join(', ')}
              </span>
            </span>
          }
        />
      </dl>
    </SectionCard>
  );
}

/**
 * One project's stakeholder dashboard (issue 17 point 3), read-only: the console page and the share page both
 * render it; `actions` (print, subscribe) sit in the header and never print. Laid out to print on one page.
 */
export function ProjectDashboard({ data, actions }: { data: DashboardData; actions?: React.ReactNode }) {
  return (
    <div
      className="mx-auto flex max-w-7xl flex-col gap-6 print:max-w-none print:gap-3"
      data-testid="project-dashboard"
    >
      <DashboardHeader data={data} actions={actions} />
      <div className="grid gap-4 md:grid-cols-2 print:grid-cols-2 print:gap-3">
        <SectionCard title="Progress" testId="project-progress">
          <ProgressFigures
            percent={data.percent}
            totals={data.totals}
            defaultEstimate={data.project.settings.defaultEstimate}
          />
        </SectionCard>
        <DatesCard data={data} />
      </div>
      <SectionCard title="Burn-up" testId="project-burn-up" className="print:break-inside-avoid">
        <BurnUpChart data={data} />
      </SectionCard>
      <SectionCard title="At risk" testId="project-at-risk">
        <AtRiskList rules={data.health.rules} milestones={data.milestones} overdue={data.overdue} />
      </SectionCard>
      <MilestonesCard milestones={data.milestones} />
      <ServiceFactsCard services={data.services} />
    </div>
  );
}
