/**
 * CPU time of a process from /proc/<pid>/stat. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last ')'. utime and stime are fields 14 and 15,
 * in clock ticks (USER_HZ, 100 on Linux, read from `getconf CLK_TCK`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** user-mode CPU time, clock ticks */
  utime: number;
  /** kernel-mode CPU time, clock ticks */
  stime: number;
  /** resident set size, pages */
  rssPages: number;
  /** when the process started, clock ticks after boot */
  starttime: number;
}

/** Parse the text of /proc/<pid>/stat. Throws on text that is not one. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // fields[0] is field 3 (state)
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const field = (n: number): number => {
    const v = Number(fields[n - 3]);
    if (!Number.isFinite(v)) throw new Error(`/proc stat field ${n} is missing or not a number in ${JSON.stringify(text.slice(0, 80))}`);
    return v;
  };
  return { pid, comm, state: fields[0] ?? '?', ppid: field(4), utime: field(14), stime: field(15), rssPages: field(24), starttime: field(22) };
}

export function readProcStat(pid: number): ProcStat {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

let ticks: number | undefined;
/** Clock ticks per second (USER_HZ). */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** user+sys CPU seconds of a process. */
export function cpuSeconds(stat: ProcStat, hz = clockTicksPerSecond()): number {
  return (stat.utime + stat.stime) / hz;
}

/** Percent of one core used between two readings taken `wallSeconds` apart. */
export function cpuPercent(before: ProcStat, after: ProcStat, wallSeconds: number, hz = clockTicksPerSecond()): number {
  if (wallSeconds <= 0) throw new RangeError('wallSeconds must be positive');
  return ((cpuSeconds(after, hz) - cpuSeconds(before, hz)) / wallSeconds) * 100;
}
