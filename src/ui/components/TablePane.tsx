/**
 * One generic list pane (like lazydocker's side list panel): frame, source status,
 * guidance when there is nothing to show, filter, a virtualised table of pure rows, an
 * optional footer about the selected row, and the focused pane's keys.
 */
import { memo, useMemo } from 'react';
import { Box } from 'ink';
import { PRIORITY } from '../../keymap/dispatcher.js';
import type { PaneId } from '../../keymap/panes.js';
import { useConsole, useUi } from '../ConsoleContext.js';
import type { DetailRequest } from '../details/types.js';
import { matchesFilter } from '../format/text.js';
import type { SourceName } from '../../domain/model.js';
import { useKeypress } from '../keys/KeypressContext.js';
import { useActionRunner } from '../keys/useActionRunner.js';
import { MessageLines } from './MessageLines.js';
import { FRAME_CHROME, PaneFrame, type TitlePart } from './PaneFrame.js';
import { SourceNotices, SourceTitleStatus, useSourceStates } from './SourceStatus.js';
import { resolveSelection } from './table/selection.js';
import type { Column, TableRow } from './table/types.js';
import { VirtualTable } from './table/VirtualTable.js';
import { clampIndex } from './table/window.js';

export interface TablePaneProps {
  pane: PaneId;
  number: number;
  title: string;
  columns: readonly Column[];
  rows: readonly TableRow[];
  width: number;
  height: number;
  focused: boolean;
  /** the sources this pane's data comes from: their status is in the title, their problems above the table */
  sources: readonly SourceName[];
  /** shown when the source is fine but has no rows */
  empty: readonly string[];
  /** one line about the selected row, under the table */
  footer?: ((row: TableRow) => TitlePart | undefined) | undefined;
  detailFor?: ((row: TableRow) => DetailRequest | undefined) | undefined;
}

const isTyped = (name: string, ctrl: boolean, meta: boolean) => !ctrl && !meta && [...name].length === 1;

function usePaneKeys(p: TablePaneProps, visible: readonly TableRow[], selected: number, pageSize: number) {
  const { keys, ui, actions, clock } = useConsole();
  const runner = useActionRunner();
  const filtering = useUi((s) => s.filtering);
  const filter = useUi((s) => s.filters[p.pane]);

  useKeypress(
    PRIORITY.filter,
    (key) => {
      const s = ui.getState();
      if (keys.is('filter.accept', key)) s.acceptFilter();
      else if (keys.is('filter.cancel', key)) s.cancelFilter(p.pane);
      else if (keys.is('filter.deleteChar', key)) s.setFilter(p.pane, [...filter].slice(0, -1).join(''));
      else if (isTyped(key.name, key.ctrl, key.meta)) s.setFilter(p.pane, filter + key.name);
      else return false; // arrows and Tab still reach the pane and the global keys
      return true;
    },
    p.focused && filtering,
  );

  useKeypress(
    PRIORITY.pane,
    (key) => {
      const s = ui.getState();
      const moves: Array<[Parameters<typeof keys.is>[0], number]> = [
        ['nav.up', selected - 1],
        ['nav.down', selected + 1],
        ['nav.pageUp', selected - pageSize],
        ['nav.pageDown', selected + pageSize],
        ['nav.top', 0],
        ['nav.bottom', visible.length - 1],
      ];
      for (const [command, target] of moves) {
        if (keys.is(command, key)) {
          const i = clampIndex(target, visible.length);
          s.select(p.pane, visible[i]?.key, i);
          return true;
        }
      }
      const row = visible[selected];
      if (keys.is('pane.details', key)) {
        const request = row && p.detailFor?.(row);
        if (request) s.openDetail(request);
        else s.notify({ at: clock.now(), level: 'warn', text: row ? 'no details for this row' : 'nothing selected' });
        return true;
      }
      if (keys.is('pane.filter', key)) {
        s.startFilter();
        return true;
      }
      const action = keys.actionFor(
        key,
        actions.filter((a) => a.appliesTo === p.pane),
      );
      if (!action) return false;
      runner.request(action, { pane: p.pane, rowKey: row?.key });
      return true;
    },
    p.focused,
  );
  return { filtering: p.focused && filtering, filter };
}

export const TablePane = memo(function TablePane(p: TablePaneProps) {
  const selection = useUi((s) => s.selection[p.pane]);
  const filterText = useUi((s) => s.filters[p.pane]);
  const states = useSourceStates(p.sources);
  const visible = useMemo(() => p.rows.filter((r) => matchesFilter(r.filterText, filterText)), [p.rows, filterText]);
  const selected = resolveSelection(visible, selection);
  const innerWidth = Math.max(1, p.width - 2);
  const troubled = states.filter((s) => s.status !== 'ok').length;
  // Nothing to show and a source to blame: the pane becomes the guidance.
  const guidanceOnly = p.rows.length === 0 && states.some((s) => s.status !== 'ok' && s.data === undefined);
  const noticeLines = guidanceOnly ? 0 : troubled;
  const footer = visible[selected] && p.footer ? p.footer(visible[selected]) : undefined;
  const tableHeight = Math.max(1, p.height - FRAME_CHROME - noticeLines - (footer ? 1 : 0));
  const { filtering, filter } = usePaneKeys(p, visible, selected, Math.max(1, tableHeight - 2));

  const position = p.rows.length === 0 ? '' : `${visible.length === 0 ? 0 : selected + 1}/${visible.length}${visible.length !== p.rows.length ? ` of ${p.rows.length}` : ''}`;
  const note: TitlePart | undefined = filtering
    ? { text: `/${filter}▏ ${position}`, role: 'accent' }
    : filter
      ? { text: `filter "${filter}" · ${position}`, role: 'accent' }
      : position
        ? { text: position, role: 'muted' }
        : undefined;

  let body;
  if (guidanceOnly) body = <SourceNotices names={p.sources} width={innerWidth} full />;
  else if (p.rows.length === 0) body = <MessageLines lines={p.empty} role="idle" width={innerWidth} />;
  else if (visible.length === 0) body = <MessageLines lines={[`Nothing matches "${filter}". Press / then Esc to clear the filter.`]} role="idle" width={innerWidth} />;
  else body = <VirtualTable columns={p.columns} rows={visible} selected={selected} focused={p.focused} height={tableHeight} width={innerWidth} />;

  return (
    <PaneFrame number={p.number} title={p.title} focused={p.focused} width={p.width} height={p.height} status={<SourceTitleStatus names={p.sources} />} note={note}>
      {noticeLines > 0 ? <SourceNotices names={p.sources} width={innerWidth} full={false} /> : null}
      <Box flexGrow={1} flexDirection="column" overflow="hidden">
        {body}
      </Box>
      {footer ? <MessageLines lines={[footer.text]} role={footer.role} width={innerWidth} wrap="truncate" /> : null}
    </PaneFrame>
  );
});
