/** Connectors pane rows: connector state (unknown future states as-is), tasks, type and worker. */
import type { ConnectorRow } from '../../store/selectors.js';
import type { Column, TableRow } from '../components/table/types.js';
import { connectorStateLook, tasksLook } from '../format/states.js';
import { lazyRow } from './lazyRow.js';

export const CONNECTOR_COLUMNS: readonly Column[] = [
  { header: 'CONNECTOR', min: 16, max: 48, flex: 2 },
  { header: 'TYPE', min: 6, priority: 1 },
  { header: 'STATE', min: 12, max: 20, flex: 1, priority: 3 },
  { header: 'TASKS', min: 14, max: 22, flex: 1, priority: 3 },
  { header: 'WORKER', min: 14, max: 30, flex: 1, priority: 0 },
];

export function connectorRows(connectors: readonly ConnectorRow[]): TableRow[] {
  return connectors.map((c) =>
    lazyRow(c.name, `${c.name} ${c.type} ${c.state} ${c.className ?? ''}`, () => {
      const state = connectorStateLook(c.state);
      const tasks = tasksLook(c);
      return [
        { text: c.name },
        { text: c.type },
        { text: `${state.glyph} ${state.word}`, role: state.role },
        { text: `${tasks.glyph} ${tasks.word}`, role: tasks.role },
        { text: c.workerId, role: 'muted' },
      ];
    }),
  );
}
