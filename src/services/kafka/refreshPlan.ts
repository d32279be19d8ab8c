/**
 * Which requests one snapshot sends, so that no broker gets more than two per refresh.
 *
 * Every refresh reads the end offsets (one ListOffsets per leader broker): rates come from
 * them and must never be stale. On top of that a refresh sends ONE of:
 *   - OffsetFetch for the sink group (one request, to its coordinator) — the usual one;
 *   - Metadata (one request) — every metadataRefreshMs, or at once when something made it due
 *     (createTopics, a partition its leader could not answer for);
 *   - ListOffsets for the earliest offsets (one per leader broker) — every metadataRefreshMs,
 *     or when a partition has none yet (just discovered).
 * When Metadata or the earliest offsets go, the sink group's previous committed offsets are
 * reused — never twice in a row, so they are at most one refresh older than the end offsets,
 * and the snapshot says when they were read. When both are due they take turns.
 *
 * A cold refresh sends everything at once: the first of a session (nothing to reuse) and one
 * after no snapshot for metadataRefreshMs or longer (what it held is too old to stand in).
 */

export interface RefreshState {
  now: number;
  /** metadataRefreshMs */
  intervalMs: number;
  hasLayout: boolean;
  /** when Metadata was last read; -Infinity when it is due at once */
  layoutAt: number;
  /** when the earliest offsets were last read; -Infinity when never */
  earliestAt: number;
  /** a partition with a leader has no earliest offset yet */
  missingEarliest: boolean;
  /** when the session's previous snapshot started; -Infinity when none */
  lastSnapshotAt: number;
  /** which of Metadata / earliest the last non-cold refresh sent, so both get their turn */
  lastSlow: 'metadata' | 'earliest' | undefined;
  /** a sink group was asked for */
  wantsCommitted: boolean;
  /** the committed offsets held for that group, if any */
  committed: { at: number; reused: boolean } | undefined;
}

export interface RefreshPlan {
  cold: boolean;
  metadata: boolean;
  earliest: boolean;
  committed: boolean;
}

export function planRefresh(s: RefreshState): RefreshPlan {
  const cold = !s.hasLayout || s.now - s.lastSnapshotAt >= s.intervalMs;
  if (cold) return { cold, metadata: true, earliest: true, committed: s.wantsCommitted };

  const reusable = s.committed !== undefined && !s.committed.reused && s.now - s.committed.at < s.intervalMs;
  if (s.wantsCommitted && !reusable) return { cold, metadata: false, earliest: false, committed: true };

  const metadataDue = s.now - s.layoutAt >= s.intervalMs;
  const earliestDue = s.missingEarliest || s.now - s.earliestAt >= s.intervalMs;
  const metadata = metadataDue && (!earliestDue || s.lastSlow !== 'metadata');
  const earliest = !metadata && earliestDue;
  return { cold, metadata, earliest, committed: s.wantsCommitted && !metadata && !earliest };
}
