import { TableCell, TableRow } from '@sextant/ui';
import Link from 'next/link';
import { TableCard } from '~/components/table-card';
import { formatUptime, type ServiceFactsView } from '~/lib/projects';

/** "2026-03-01 (v1.4.2, PRO)". */
function lastDeploy(d: ServiceFactsView['lastProductionDeployment']) {
  if (!d) return 'none in production';
  return `${d.at.slice(0, 10)} (${d.version}, ${d.environment})`;
}

/** DORA in one line when the service deployed to production in the last 30 days. */
export function doraLine(dora: ServiceFactsView['dora']): string | null {
  if (!dora) return null;
  const parts = [`${dora.deploymentFrequency.count} deploys`];
  if (dora.changeFailureRate.ratio !== null)
    parts.push(`CFR ${Math.round(dora.changeFailureRate.ratio * 1000) / 10} %`);
  if (dora.leadTime.medianMinutes !== null)
    parts.push(`lead time ${Math.round((dora.leadTime.medianMinutes / 60) * 10) / 10} h`);
  return parts.join(' · ');
}

/** One service's facts in a sentence, for the portfolio's cells. */
export function ServiceFactsLine({ s }: { s: ServiceFactsView }) {
  const dora = doraLine(s.dora);
  return (
    <div className="text-xs" data-testid="service-facts" data-service={s.name}>
      <span className="font-medium">{s.name}</span>: uptime {formatUptime(s.uptime30d)},{' '}
      <span className={s.openIncidents > 0 ? 'text-destructive' : undefined}>
        {s.openIncidents} open {s.openIncidents === 1 ? 'incident' : 'incidents'}
      </span>
      , last PRO deploy {lastDeploy(s.lastProductionDeployment)}
      {dora ? `; DORA 30 d: ${dora}` : ''}
    </div>
  );
}

/** The reliability facts of the services a project ships (issue 17 point 3); links only where the console is. */
export function ServiceFactsCard({ services }: { services: readonly ServiceFactsView[] }) {
  return (
    <TableCard
      title="Services"
      description="Reliability of the services this project ships: uptime, open incidents, last production deployment, DORA."
      columns={[
        { label: 'Service' },
        { label: 'Uptime, 30 days', right: true },
        { label: 'Open incidents', right: true },
        { label: 'Last production deployment' },
        { label: 'DORA, 30 days' },
      ]}
      rows={services.length}
      empty="No services linked."
      testId="project-services"
    >
      {services.map((s) => (
        <TableRow key={s.name} data-testid="service-row" data-service={s.name}>
          <TableCell className="font-medium">
            {s.slug ? (
              <Link className="underline print:no-underline" href={`/services/${s.slug}`}>
                {s.name}
              </Link>
            ) : (
              s.name
            )}
          </TableCell>
          <TableCell className="text-right tabular-nums">{formatUptime(s.uptime30d)}</TableCell>
          <TableCell className="text-right tabular-nums">{s.openIncidents}</TableCell>
          <TableCell className="whitespace-nowrap">{lastDeploy(s.lastProductionDeployment)}</TableCell>
          <TableCell className="text-muted-foreground">
            {doraLine(s.dora) ?? 'no production deploys'}
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
