import { describe, expect, it } from 'vitest';
import { planRefresh, type RefreshPlan, type RefreshState } from './refreshPlan.js';

const steady: RefreshState = {
  now: 100_000,
  intervalMs: 30_000,
  hasLayout: true,
  layoutAt: 90_000,
  earliestAt: 90_000,
  missingEarliest: false,
  lastSnapshotAt: 98_000,
  lastSlow: 'earliest',
  wantsCommitted: true,
  committed: { at: 98_000, reused: false },
};

const plan = (over: Partial<RefreshState>) => planRefresh({ ...steady, ...over });
const slow = (p: RefreshPlan) => [p.metadata, p.earliest, p.committed].filter(Boolean).length;

describe('planRefresh', () => {
  it('reads only the committed offsets (besides the end offsets) when nothing else is due', () => {
    expect(plan({})).toEqual({ cold: false, metadata: false, earliest: false, committed: true });
    expect(plan({ wantsCommitted: false, committed: undefined })).toEqual({ cold: false, metadata: false, earliest: false, committed: false });
  });

  it('reads metadata in place of the committed offsets when it is due, and reuses them', () => {
    expect(plan({ layoutAt: 70_000 })).toEqual({ cold: false, metadata: true, earliest: false, committed: false });
    expect(plan({ layoutAt: -Infinity })).toEqual({ cold: false, metadata: true, earliest: false, committed: false });
  });

  it('reads the earliest offsets in place of the committed offsets when due or missing', () => {
    expect(plan({ earliestAt: 70_000 })).toEqual({ cold: false, metadata: false, earliest: true, committed: false });
    expect(plan({ missingEarliest: true })).toEqual({ cold: false, metadata: false, earliest: true, committed: false });
  });

  it('never reuses the committed offsets twice in a row, nor ones that are too old: the slow requests wait', () => {
    expect(plan({ layoutAt: -Infinity, missingEarliest: true, committed: { at: 98_000, reused: true } })).toEqual({ cold: false, metadata: false, earliest: false, committed: true });
    expect(plan({ layoutAt: -Infinity, committed: { at: 70_000, reused: false } })).toMatchObject({ metadata: false, committed: true });
    // a group never read in this session: its committed offsets are needed now
    expect(plan({ layoutAt: -Infinity, committed: undefined })).toMatchObject({ metadata: false, committed: true });
  });

  it('lets metadata and the earliest offsets take turns when both are due', () => {
    const both = { layoutAt: -Infinity, missingEarliest: true };
    expect(plan({ ...both, lastSlow: 'earliest' })).toMatchObject({ metadata: true, earliest: false });
    expect(plan({ ...both, lastSlow: undefined })).toMatchObject({ metadata: true, earliest: false });
    expect(plan({ ...both, lastSlow: 'metadata' })).toMatchObject({ metadata: false, earliest: true });
    // without a sink group there is nothing to reuse and nothing to wait for
    expect(plan({ ...both, lastSlow: 'metadata', wantsCommitted: false, committed: undefined })).toEqual({ cold: false, metadata: false, earliest: true, committed: false });
  });

  it('sends everything on a cold refresh: the first of a session, or after a pause of the interval', () => {
    const all = { cold: true, metadata: true, earliest: true, committed: true };
    expect(plan({ hasLayout: false, layoutAt: -Infinity, earliestAt: -Infinity, lastSnapshotAt: -Infinity, committed: undefined })).toEqual(all);
    expect(plan({ lastSnapshotAt: 70_000 })).toEqual(all);
    expect(plan({ lastSnapshotAt: 70_000, wantsCommitted: false })).toEqual({ ...all, committed: false });
    // metadataRefreshMs 0: every refresh is a full one
    expect(plan({ intervalMs: 0 })).toEqual(all);
  });

  /** Runs the plan over refreshes `stepMs` apart, keeping the state the way the adapter does. */
  function simulate(stepMs: number, refreshes: number, events: Record<number, (s: RefreshState) => void> = {}) {
    let s: RefreshState = { ...steady, now: 0, hasLayout: false, layoutAt: -Infinity, earliestAt: -Infinity, lastSnapshotAt: -Infinity, lastSlow: undefined, committed: undefined };
    const plans: RefreshPlan[] = [];
    const committedAge: number[] = [];
    for (let i = 0; i < refreshes; i++) {
      events[i]?.(s);
      const p = planRefresh(s);
      plans.push(p);
      const next = { ...s, lastSnapshotAt: s.now };
      if (!p.cold && (p.metadata || p.earliest)) next.lastSlow = p.metadata ? 'metadata' : 'earliest';
      if (p.metadata) next.hasLayout = true;
      if (p.metadata) next.layoutAt = s.now;
      if (p.earliest) next.earliestAt = s.now;
      if (p.earliest) next.missingEarliest = false;
      next.committed = p.committed ? { at: s.now, reused: false } : { ...s.committed!, reused: true };
      committedAge.push(s.now - next.committed.at);
      s = { ...next, now: s.now + stepMs };
    }
    return { plans, committedAge };
  }

  it('at a 2 s refresh: one slow request per refresh, metadata every interval, committed at most one refresh old', () => {
    const { plans, committedAge } = simulate(2_000, 100, {
      // createTopics makes metadata due at once; new partitions then lack their earliest offsets
      40: (s) => void (s.layoutAt = -Infinity),
      41: (s) => void (s.missingEarliest = true),
    });
    expect(plans[0]).toEqual({ cold: true, metadata: true, earliest: true, committed: true });
    const rest = plans.slice(1);
    expect(rest.every((p) => !p.cold && slow(p) === 1)).toBe(true);
    expect(Math.max(...committedAge)).toBe(2_000);
    const metadataAt = plans.flatMap((p, i) => (p.metadata ? [i] : []));
    // at 0, every 15 refreshes (30 s), and at once after the topics were created
    expect(metadataAt).toEqual([0, 15, 30, 40, 55, 70, 85]);
    const earliestAt = plans.flatMap((p, i) => (p.earliest ? [i] : []));
    // after each metadata read: the committed offsets first (they were just reused), then the earliest
    expect(earliestAt).toEqual([0, 17, 32, 42, 57, 72, 87]);
  });

  it('with metadata always due, metadata and the earliest offsets alternate and committed offsets still come every other refresh', () => {
    const { plans } = simulate(2_000, 13, Object.fromEntries(Array.from({ length: 13 }, (_, i) => [i, (s: RefreshState) => void ((s.layoutAt = -Infinity), (s.missingEarliest = i > 0))])));
    const kinds = plans.slice(1).map((p) => (p.metadata ? 'M' : p.earliest ? 'E' : 'C'));
    expect(kinds.join('')).toBe('MCECMCECMCEC');
  });
});
