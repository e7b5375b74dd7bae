import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in milliseconds. */
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid, cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) used so far by a process and every live descendant, per pid. */
export function treeCpu(rootPid: number): { totalMs: number; byPid: Map<number, number> } {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  const children = new Map<number, number[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const byPid = new Map<number, number>();
  const cpuOf = new Map(stats.map((stat) => [stat.pid, stat.cpuMs]));
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const cpu = cpuOf.get(pid);
    if (cpu === undefined) continue;
    byPid.set(pid, cpu);
    queue.push(...(children.get(pid) ?? []));
  }
  let totalMs = 0;
  for (const cpu of byPid.values()) totalMs += cpu;
  return { totalMs, byPid };
}

/** CPU used by the tree between two readings; a process that appeared meanwhile counts from zero. */
export function cpuBetween(
  before: { byPid: Map<number, number> },
  after: { byPid: Map<number, number> },
): number {
  let total = 0;
  for (const [pid, cpu] of after.byPid) total += cpu - (before.byPid.get(pid) ?? 0);
  return total;
}

/**
 * CPU time (ms) every core of the machine has spent busy so far, from /proc/stat's first line (all
 * but idle and iowait): with deskhand's tree, it tells whether a run was short of cores, since the
 * load generator, the fake Slack and Postgres share the machine.
 */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, ...ticks] = line.trim().split(/\s+/).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  // Fields past the eighth (guest times) are already counted in user and nice.
  const busy = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0) - idle;
  return (busy * 1000) / TICKS_PER_SECOND;
}
