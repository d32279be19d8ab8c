import { describe, expect, it } from 'vitest';
import { cpuPercent, cpuSeconds, parseProcStat, readProcStat } from '../../bench/lib/procStat.js';

// A real /proc/<pid>/stat line (node), with the fields up to rss.
const LINE = '4242 (node) S 4200 4242 4200 34816 4242 4194304 12000 0 3 0 1234 567 0 0 20 0 11 0 98765 1190000000 52000 18446744073709551615 1 1 0 0 0 0 0 16781312 134235650 0 0 0 17 1 0 0 0 0 0';

describe('/proc/<pid>/stat parsing', () => {
  it('reads pid, comm, state, ppid, utime, stime, starttime and rss', () => {
    expect(parseProcStat(LINE)).toEqual({ pid: 4242, comm: 'node', state: 'S', ppid: 4200, utime: 1234, stime: 567, starttime: 98765, rssPages: 52000 });
  });

  it('counts fields from the last ")" so a command name with spaces and parentheses cannot shift them', () => {
    const odd = LINE.replace('(node)', '(we (ird) name) x)');
    const s = parseProcStat(odd);
    expect(s.comm).toBe('we (ird) name) x');
    expect(s.utime).toBe(1234);
    expect(s.stime).toBe(567);
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('hello')).toThrow(/not a \/proc/);
    expect(() => parseProcStat('1 (x) S 1')).toThrow(/field/);
  });

  it('turns ticks into CPU seconds and a percent of one core', () => {
    const a = parseProcStat(LINE);
    const b = { ...a, utime: a.utime + 150, stime: a.stime + 50 };
    expect(cpuSeconds(a, 100)).toBeCloseTo(18.01, 10);
    expect(cpuPercent(a, b, 10, 100)).toBeCloseTo(20, 10);
    expect(() => cpuPercent(a, b, 0, 100)).toThrow(RangeError);
  });

  it('reads this process from /proc', () => {
    const s = readProcStat(process.pid);
    expect(s.pid).toBe(process.pid);
    expect(s.utime + s.stime).toBeGreaterThan(0);
  });
});
