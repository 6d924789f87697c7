import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@sextant/ui';

/** One titled card: title, description, an optional action at the right (e.g. "New check"), then the body. */
export function SectionCard({
  title,
  description,
  action,
  id,
  testId,
  children,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  action?: React.ReactNode;
  id?: string;
  testId?: string;
  children: React.ReactNode;
}) {
  return (
    <Card id={id} data-testid={testId}>
      <CardHeader className={action ? 'flex-row flex-wrap items-start justify-between gap-4' : undefined}>
        <div className="flex flex-col gap-1">
          <CardTitle>{title}</CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </div>
        {action}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}
