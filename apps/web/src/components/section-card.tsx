import { Card, CardContent, CardDescription, CardHeader, CardTitle, cn } from '@sextant/ui';

type SectionProps = Omit<React.ComponentProps<'section'>, 'title' | 'className' | 'children'>;

/**
 * One titled card: title, description, an optional action at the right (e.g. "New check"), then the body.
 * `busy` dims it while a transition loads what it shows next; other props (id, data-*) go on the card.
 */
export function SectionCard({
  title,
  description,
  action,
  testId,
  busy = false,
  className,
  children,
  ...section
}: SectionProps & {
  title?: React.ReactNode;
  description?: React.ReactNode;
  action?: React.ReactNode;
  testId?: string;
  busy?: boolean;
  /** Classes of the body. */
  className?: string;
  children: React.ReactNode;
}) {
  const header = title || description || action;
  return (
    <Card
      data-testid={testId}
      aria-busy={busy || undefined}
      className={cn(busy && 'opacity-60')}
      {...section}
    >
      {header ? (
        <CardHeader className={action ? 'flex-row flex-wrap items-start justify-between gap-4' : undefined}>
          <div className="flex flex-col gap-1">
            {title ? <CardTitle>{title}</CardTitle> : null}
            {description ? <CardDescription>{description}</CardDescription> : null}
          </div>
          {action}
        </CardHeader>
      ) : null}
      <CardContent className={cn(!header && 'pt-5', className)}>{children}</CardContent>
    </Card>
  );
}
