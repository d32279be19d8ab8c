/**
 * One frame of Docker's stats stream → CPU % and memory, computed the way `docker stats` does:
 * CPU % = (container CPU time delta / host CPU time delta) × online CPUs × 100, memory = usage
 * minus the inactive page cache (cgroup v1 total_inactive_file, v2 inactive_file).
 */

export interface StatsSample {
  /** when the frame arrived (epoch ms, our clock) */
  at: number;
  cpuPercent: number | undefined;
  memoryBytes: number | undefined;
  memoryLimitBytes: number | undefined;
}

interface CpuStats {
  cpu_usage?: { total_usage?: unknown; percpu_usage?: unknown };
  system_cpu_usage?: unknown;
  online_cpus?: unknown;
}

interface StatsFrame {
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: unknown; limit?: unknown; stats?: Record<string, unknown> };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The sample a frame gives. `previous` is the CPU counters of the frame before, used when the
 * engine leaves precpu_stats empty (the first frame of a stream has nothing to compare with).
 */
export function sampleOf(frame: unknown, at: number, previous?: CpuStats): StatsSample {
  const f = (typeof frame === 'object' && frame !== null ? frame : {}) as StatsFrame;
  return { at, cpuPercent: cpuPercent(f.cpu_stats, hasCounters(f.precpu_stats) ? f.precpu_stats : previous), ...memoryOf(f.memory_stats) };
}

export function cpuCountersOf(frame: unknown): CpuStats | undefined {
  const cpu = (frame as StatsFrame | null)?.cpu_stats;
  return hasCounters(cpu) ? cpu : undefined;
}

function hasCounters(cpu: CpuStats | undefined): cpu is CpuStats {
  return (num(cpu?.system_cpu_usage) ?? 0) > 0 && num(cpu?.cpu_usage?.total_usage) !== undefined;
}

export function cpuPercent(now: CpuStats | undefined, before: CpuStats | undefined): number | undefined {
  if (!hasCounters(now) || !hasCounters(before)) return undefined;
  const cpuDelta = num(now.cpu_usage?.total_usage)! - num(before.cpu_usage?.total_usage)!;
  const systemDelta = num(now.system_cpu_usage)! - num(before.system_cpu_usage)!;
  // a counter going backwards (container restarted) or no host time passed: no honest figure
  if (cpuDelta < 0 || systemDelta <= 0) return undefined;
  const perCpu = now.cpu_usage?.percpu_usage;
  const cpus = num(now.online_cpus) ?? (Array.isArray(perCpu) && perCpu.length > 0 ? perCpu.length : 1);
  return (cpuDelta / systemDelta) * cpus * 100;
}

function memoryOf(mem: StatsFrame['memory_stats']): Pick<StatsSample, 'memoryBytes' | 'memoryLimitBytes'> {
  const usage = num(mem?.usage);
  const limit = num(mem?.limit);
  if (usage === undefined) return { memoryBytes: undefined, memoryLimitBytes: limit };
  const v1 = num(mem?.stats?.total_inactive_file);
  const v2 = num(mem?.stats?.inactive_file);
  const cache = v1 !== undefined ? v1 : v2;
  return { memoryBytes: cache !== undefined && cache < usage ? usage - cache : usage, memoryLimitBytes: limit };
}
