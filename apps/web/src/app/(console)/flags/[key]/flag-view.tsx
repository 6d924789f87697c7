'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, cn } from '@sextant/ui';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { useTRPC } from '~/trpc/react';
import { FlagSwitch } from '../flag-switch';
import { LIFECYCLE_TONE } from '../flags-view';
import { EnvironmentEditor } from './environment-editor';
import { EvaluationCounts, History } from './flag-activity';
import { LifecycleActions, MetadataDialog } from './flag-metadata';

/** One flag: metadata, lifecycle, each environment's configuration with its preview, evaluations and history. */
export function FlagView({ flagKey, role }: { flagKey: string; role: Role }) {
  const trpc = useTRPC();
  const canWrite = roleAtLeast(role, 'maintainer');
  const flag = useSuspenseQuery(trpc.flags.get.queryOptions({ key: flagKey }));
  const people = useQuery(trpc.users.directory.queryOptions());
  const f = flag.data;
  const archived = f.archivedAt !== null;
  const [envName, setEnvName] = useState(f.environments[0]?.environment ?? '');
  const env = f.environments.find((e) => e.environment === envName) ?? f.environments[0];
  const owner = f.owner ? (people.data?.find((u) => u.id === f.owner)?.name ?? 'unknown user') : 'none';
  return (
    <ConsolePage
      back={{ href: '/flags', label: 'Flags' }}
      title={<span className="font-mono">{f.key}</span>}
      description={f.description || 'No description.'}
      action={canWrite ? <LifecycleActions flag={f} /> : null}
      refreshed={[flag]}
    >
      <SectionCard
        title="About"
        action={canWrite && !archived ? <MetadataDialog flag={f} /> : null}
        testId="flag-about"
      >
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
          <Item term="Type">{f.type}</Item>
          <Item term="Owner">{owner}</Item>
          <Item term="Lifecycle">
            <Badge tone={LIFECYCLE_TONE[f.lifecycle]} data-testid="flag-lifecycle">
              {f.lifecycle}
            </Badge>
          </Item>
          <Item term="Stale after">{f.staleAfterDays} days</Item>
          <Item term="Tags">{f.tags.length ? f.tags.join(', ') : 'none'}</Item>
          <Item term="Services">{f.services.length ? f.services.map((s) => s.name).join(', ') : 'none'}</Item>
        </dl>
      </SectionCard>
      <div className="flex flex-col gap-3">
        <div role="tablist" aria-label="Environments" className="flex flex-wrap gap-1">
          {f.environments.map((e) => (
            <div
              key={e.environment}
              className={cn(
                'flex items-center gap-2 rounded-md border px-2 py-1',
                e.environment === env?.environment && 'bg-muted',
              )}
            >
              <button
                type="button"
                role="tab"
                aria-selected={e.environment === env?.environment}
                className="text-sm font-medium"
                onClick={() => setEnvName(e.environment)}
              >
                {e.environment}
              </button>
              <FlagSwitch
                flagKey={f.key}
                environment={e.environment}
                enabled={e.enabled}
                canToggle={canWrite && !archived}
              />
            </div>
          ))}
        </div>
        {env ? (
          <EnvironmentEditor
            key={`${env.environment}:${env.version}`}
            flag={f}
            env={env}
            canWrite={canWrite && !archived}
          />
        ) : (
          <p className="text-sm text-muted-foreground">No environments are configured.</p>
        )}
      </div>
      <EvaluationCounts flagKey={f.key} environments={f.environments.map((e) => e.environment)} />
      <History flagKey={f.key} />
    </ConsolePage>
  );
}

function Item({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
