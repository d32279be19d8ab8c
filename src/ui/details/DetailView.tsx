/** The details of the selected row, over the panes: scrollable, Esc (or q) closes. */
import { useMemo } from 'react';
import { selectFunnels } from '../../store/selectors.js';
import { PRIORITY } from '../../keymap/dispatcher.js';
import { useNow } from '../clock/NowContext.js';
import { useConsole, usePipeline } from '../ConsoleContext.js';
import { ScrollView, scrollViewRows, type Line } from '../components/ScrollView.js';
import type { TitlePart } from '../components/PaneFrame.js';
import { useKeypress } from '../keys/KeypressContext.js';
import { useScroll } from '../overlays/useScroll.js';
import { funnelLines } from './format.js';
import type { DetailRequest } from './types.js';
import { LAST_MESSAGES, LATEST_ROWS, LOG_TAIL, useDetail, type DetailState } from './useDetail.js';

export function detailTitle(r: DetailRequest): string {
  switch (r.kind) {
    case 'container':
      return `Container ${r.name} — last ${LOG_TAIL} log lines`;
    case 'connector':
      return `Connector ${r.name} — tasks, traces and config`;
    case 'topic':
      return `Topic ${r.topic} — partitions, lag and last ${LAST_MESSAGES} messages`;
    case 'table':
      return `Snowflake ${r.topic} — latest ${LATEST_ROWS} raw rows and task history`;
    case 'funnel':
      return `Pipeline ${r.topic}`;
  }
}

function Scrolled({ title, lines, status, width, height }: { title: string; lines: readonly Line[]; status: TitlePart; width: number; height: number }) {
  const { keys, ui } = useConsole();
  const [offset, scroll] = useScroll(lines.length, scrollViewRows(height), keys);
  useKeypress(PRIORITY.overlay, (key) => {
    if (keys.is('overlay.close', key)) ui.getState().closeOverlay();
    else scroll(key);
    return true; // the details view owns the keyboard while open (Ctrl-C still quits)
  });
  return <ScrollView title={title} status={status} lines={lines} width={width} height={height} offset={offset} />;
}

function stateLines(state: DetailState): { lines: Line[]; status: TitlePart } {
  switch (state.status) {
    case 'loading':
      return { lines: [{ text: 'Loading…', role: 'muted' }], status: { text: '… loading', role: 'accent' } };
    case 'error':
      return { lines: [{ text: `✗ ${state.message}`, role: 'error' }, { text: '' }, { text: 'Esc closes; Enter on the row tries again.', role: 'muted' }], status: { text: '✗ failed', role: 'error' } };
    case 'ready':
      return { lines: state.lines, status: { text: 'Esc closes', role: 'muted' } };
  }
}

function FetchedDetail({ request, width, height }: { request: Exclude<DetailRequest, { kind: 'funnel' }>; width: number; height: number }) {
  const { details, utc } = useConsole();
  const state = useDetail(details, request, utc);
  const { lines, status } = stateLines(state);
  return <Scrolled title={detailTitle(request)} lines={lines} status={status} width={width} height={height} />;
}

function FunnelDetail({ topic, width, height }: { topic: string; width: number; height: number }) {
  const now = useNow();
  const funnels = usePipeline((s) => selectFunnels(s, now));
  const lines = useMemo(() => funnelLines(funnels.find((f) => f.topic === topic), now), [funnels, topic, now]);
  return <Scrolled title={detailTitle({ kind: 'funnel', topic })} lines={lines} status={{ text: 'Esc closes', role: 'muted' }} width={width} height={height} />;
}

export function DetailView({ request, width, height }: { request: DetailRequest; width: number; height: number }) {
  return request.kind === 'funnel' ? (
    <FunnelDetail topic={request.topic} width={width} height={height} />
  ) : (
    <FetchedDetail request={request} width={width} height={height} />
  );
}
