import { Badge, type BadgeProps } from '@sextant/ui';
import { isMonitorStatus, STATUS_TONE } from '~/lib/monitoring';

/** A monitor or service state, coloured by severity; `data-status` carries the raw value for tests. */
export function StatusBadge({
  status,
  ...props
}: { status: string } & Omit<BadgeProps, 'tone' | 'children'>) {
  return (
    <Badge tone={isMonitorStatus(status) ? STATUS_TONE[status] : 'neutral'} data-status={status} {...props}>
      {status}
    </Badge>
  );
}
