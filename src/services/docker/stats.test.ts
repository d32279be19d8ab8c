import { describe, expect, it } from 'vitest';
import { cpuCountersOf, cpuPercent, sampleOf } from './stats.js';

const cpu = (total: number, system: number, online?: number, percpu?: number[]) => ({
  cpu_usage: { total_usage: total, ...(percpu ? { percpu_usage: percpu } : {}) },
  system_cpu_usage: system,
  ...(online !== undefined ? { online_cpus: online } : {}),
});

describe('CPU %', () => {
  it('is the container share of host CPU time times the online CPUs, like docker stats', () => {
    // 0.5 s of container time over 2 s of host time (all CPUs summed) on 2 CPUs = 50 %
    expect(cpuPercent(cpu(1_500_000_000, 12_000_000_000, 2), cpu(1_000_000_000, 10_000_000_000, 2))).toBeCloseTo(50, 10);
  });

  it('counts CPUs from percpu_usage when online_cpus is missing, else assumes one', () => {
    expect(cpuPercent(cpu(200, 1_000, undefined, [1, 1, 1, 1]), cpu(100, 500))).toBeCloseTo(80, 10);
    expect(cpuPercent(cpu(200, 1_000), cpu(100, 500))).toBeCloseTo(20, 10);
  });

  it('has no figure without a previous sample, when time stood still or a counter went back', () => {
    expect(cpuPercent(cpu(200, 1_000, 1), undefined)).toBeUndefined();
    expect(cpuPercent(cpu(200, 1_000, 1), { cpu_usage: {}, system_cpu_usage: 0 })).toBeUndefined();
    expect(cpuPercent(cpu(200, 1_000, 1), cpu(100, 1_000, 1))).toBeUndefined();
    expect(cpuPercent(cpu(50, 2_000, 1), cpu(100, 1_000, 1))).toBeUndefined();
  });
});

describe('a stats frame', () => {
  it('uses precpu_stats, and the previous frame when the engine left precpu empty', () => {
    const frame = { cpu_stats: cpu(300, 2_000, 1), precpu_stats: cpu(200, 1_000, 1), memory_stats: { usage: 1000, limit: 4000 } };
    expect(sampleOf(frame, 7)).toEqual({ at: 7, cpuPercent: 10, memoryBytes: 1000, memoryLimitBytes: 4000 });
    const first = { cpu_stats: cpu(300, 2_000, 1), precpu_stats: { cpu_usage: { total_usage: 0 } }, memory_stats: {} };
    expect(sampleOf(first, 1).cpuPercent).toBeUndefined();
    expect(sampleOf(first, 1, cpuCountersOf({ cpu_stats: cpu(100, 1_000, 1) })).cpuPercent).toBeCloseTo(20, 10);
  });

  it('takes the inactive page cache out of memory usage (cgroup v1 and v2)', () => {
    expect(sampleOf({ memory_stats: { usage: 1000, limit: 9, stats: { total_inactive_file: 300 } } }, 0).memoryBytes).toBe(700);
    expect(sampleOf({ memory_stats: { usage: 1000, limit: 9, stats: { inactive_file: 400 } } }, 0).memoryBytes).toBe(600);
    // a cache figure that is not below usage is ignored
    expect(sampleOf({ memory_stats: { usage: 1000, stats: { inactive_file: 5000 } } }, 0).memoryBytes).toBe(1000);
  });

  it('gives nothing for a frame of a stopped container or garbage', () => {
    expect(sampleOf({ memory_stats: {}, cpu_stats: { cpu_usage: { total_usage: 0 } } }, 3)).toEqual({ at: 3, cpuPercent: undefined, memoryBytes: undefined, memoryLimitBytes: undefined });
    expect(sampleOf('nonsense', 3)).toEqual({ at: 3, cpuPercent: undefined, memoryBytes: undefined, memoryLimitBytes: undefined });
  });
});
