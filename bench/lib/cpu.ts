import { readFileSync } from 'node:fs';

/** Clock ticks per second on Linux (USER_HZ). */
const HZ = 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / HZ;
}

/** Whole-machine busy and total jiffies so far, from /proc/stat; two readings give utilisation. */
export function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Busy share of all cores between two machineTicks() readings, in %. */
export function machineBusyPct(
  a: { busy: number; total: number },
  b: { busy: number; total: number },
): number {
  return b.total === a.total ? Number.NaN : ((b.busy - a.busy) / (b.total - a.total)) * 100;
}
