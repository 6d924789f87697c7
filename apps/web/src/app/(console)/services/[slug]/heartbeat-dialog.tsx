'use client';

import { HEARTBEAT_LIMITS as LIMITS } from '@sextant/trpc/limits';
import { Dialog, DialogContent, Input, Select } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Field, NumberField, Suggestions } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { EnvironmentField } from './environment-field';
import {
  emptyHeartbeat,
  heartbeatField,
  heartbeatValues,
  readHeartbeat,
  toHeartbeatInput,
} from './heartbeat-form';
import { NewPingUrl } from './ping-url';
import type { Environment, Heartbeat } from './types';
import { useMonitorDialog } from './use-refresh';

/** "New heartbeat", or "Edit" for an existing one when `heartbeat` is given; a new one's ping URL is shown once. */
export function HeartbeatDialog({
  service,
  heartbeat,
  environments,
  pingBase,
}: {
  service: string;
  heartbeat?: Heartbeat;
  environments: Environment[];
  pingBase: string;
}) {
  const trpc = useTRPC();
  const { open, saved } = useMonitorDialog();
  const initial = heartbeat ? heartbeatValues(heartbeat) : emptyHeartbeat();
  const [schedule, setSchedule] = useState(initial.schedule);
  // Only now is the full ping URL known (Sextant keeps its hash): shown in its own dialog until closed.
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const announce = saved((h: { name: string }) => `Created heartbeat “${h.name}”.`);
  const create = useMutation(
    trpc.heartbeats.create.mutationOptions({
      onSuccess: (row) => {
        setCreated({ name: row.name, token: row.token });
        return announce(row);
      },
    }),
  );
  const update = useMutation(
    trpc.heartbeats.update.mutationOptions({ onSuccess: saved((h) => `Saved heartbeat “${h.name}”.`) }),
  );
  const mutation = heartbeat ? update : create;
  const { errors, dialog, submit } = useFormDialog(mutation, open, {
    fieldOf: heartbeatField,
    at: 'heartbeat',
    onOpen: () => setSchedule(initial.schedule),
  });
  const zones = useMemo(() => (dialog.open ? Intl.supportedValuesOf('timeZone') : []), [dialog.open]);

  function onSubmit(form: HTMLFormElement) {
    const input = submit(toHeartbeatInput(readHeartbeat(form, schedule, initial.timezone)));
    if (!input) return;
    if (heartbeat) update.mutate({ id: heartbeat.id, heartbeat: input });
    else create.mutate({ service, heartbeat: input });
  }

  return (
    <>
      <FormDialog
        {...dialog}
        editing={!!heartbeat}
        createLabel="New heartbeat"
        title={heartbeat ? 'Edit heartbeat' : 'New heartbeat'}
        description={`${heartbeat ? `Changing “${heartbeat.name}”. ` : ''}For cron jobs and workers: they ping Sextant, and a missed ping past the grace time means DOWN.`}
        onSubmit={onSubmit}
        submitLabel={heartbeat ? 'Save' : 'Create heartbeat'}
      >
        <Field id="heartbeat-name" label="Name" error={errors.name}>
          {(p) => (
            <Input
              {...p}
              name="name"
              defaultValue={initial.name}
              autoComplete="off"
              placeholder="e.g. nightly backup"
              maxLength={LIMITS.nameLength}
            />
          )}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <EnvironmentField
            id="heartbeat-environment"
            label="Environment (optional)"
            environments={environments}
            defaultValue={initial.environmentId}
            error={errors.environmentId}
            anyLabel="Any environment"
          />
          <Field id="heartbeat-schedule" label="Schedule">
            {(p) => (
              <Select
                {...p}
                value={schedule}
                onChange={(e) => setSchedule(e.target.value === 'cron' ? 'cron' : 'period')}
              >
                <option value="period">Fixed period</option>
                <option value="cron">Cron expression</option>
              </Select>
            )}
          </Field>
        </div>
        {schedule === 'period' ? (
          <NumberField
            id="heartbeat-period"
            label="Period (seconds)"
            name="periodSeconds"
            range={LIMITS.periodSeconds}
            defaultValue={initial.periodSeconds}
            error={errors.periodSeconds}
            hint="How often a ping is expected, e.g. 300 for every 5 minutes."
          />
        ) : (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="heartbeat-cron" label="Cron expression" error={errors.cron} hint="e.g. 0 3 * * *">
              {(p) => (
                <Input
                  {...p}
                  name="cron"
                  defaultValue={initial.cron}
                  className="font-mono"
                  maxLength={LIMITS.cronLength}
                />
              )}
            </Field>
            <Field id="heartbeat-timezone" label="Time zone" error={errors.timezone}>
              {(p) => (
                <Input
                  {...p}
                  name="timezone"
                  defaultValue={initial.timezone}
                  list="heartbeat-timezones"
                  autoComplete="off"
                />
              )}
            </Field>
            <Suggestions id="heartbeat-timezones" values={zones} />
          </div>
        )}
        <NumberField
          id="heartbeat-grace"
          label="Grace (seconds)"
          name="graceSeconds"
          range={LIMITS.graceSeconds}
          defaultValue={initial.graceSeconds}
          error={errors.graceSeconds}
          hint="How late a ping may be before the monitor goes DOWN."
        />
      </FormDialog>
      <Dialog open={created !== null} onOpenChange={(next) => (next ? null : setCreated(null))}>
        <DialogContent>
          {created ? <NewPingUrl name={created.name} base={pingBase} token={created.token} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}
