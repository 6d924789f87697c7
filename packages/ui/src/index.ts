export { cn } from './cn';
export { Badge, type BadgeProps, badgeVariants } from './components/badge';
export { BarStrip, type PillTone, StatusPill, type StripBar } from './components/bar-strip';
export { Button, type ButtonProps, buttonVariants } from './components/button';
export { Card, CardContent, CardDescription, CardHeader, CardTitle } from './components/card';
export { Checkbox } from './components/checkbox';
export { CopyButton, SecretValue } from './components/copy';
export {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
} from './components/dialog';
export { FieldError, Input, Label } from './components/input';
export { Select } from './components/select';
export { Sparkline } from './components/sparkline';
export { Stat } from './components/stat';
export { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from './components/table';
export { Textarea } from './components/textarea';
export {
  formatUnit,
  type MarkerTone,
  type TimeSeries,
  TimeSeriesChart,
  type TimeSeriesChartProps,
  type TimeSeriesMarker,
  type TimeSeriesSpan,
  type TimeSeriesThreshold,
  type TimeSeriesUnit,
} from './components/time-series-chart';
export { Toaster, toast } from './components/toast';
