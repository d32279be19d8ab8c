/** Containers pane rows, from the store's named selector rows (already in a stable order). */
import type { ContainerRow } from '../../store/selectors.js';
import type { Column, TableRow } from '../components/table/types.js';
import { formatBytes, formatPercent, UNKNOWN } from '../format/numbers.js';
import { containerLook } from '../format/states.js';
import { formatDuration } from '../format/time.js';
import { lazyRow } from './lazyRow.js';

export const CONTAINER_COLUMNS: readonly Column[] = [
  { header: 'NAME', min: 14, max: 40, flex: 2 },
  { header: 'STATE', min: 15, max: 18, flex: 1, priority: 3 },
  { header: 'HEALTH', min: 9, priority: 2 },
  { header: 'UPTIME', min: 8, align: 'right', priority: 2 },
  { header: 'CPU', min: 6, align: 'right', priority: 2 },
  { header: 'MEMORY', min: 15, align: 'right', priority: 2 },
  { header: 'RESTARTS', min: 8, align: 'right', priority: 0 },
  { header: 'IMAGE', min: 12, max: 40, flex: 1, priority: 0 },
];

export function containerRows(containers: readonly ContainerRow[], now: number): TableRow[] {
  return containers.map((c) =>
    lazyRow(c.id, `${c.name} ${c.containerName} ${c.image} ${c.state}`, () => {
      const l = containerLook(c);
      const up = (c.state === 'running' || c.state === 'paused') && c.startedAt !== undefined;
      const mem = c.memoryBytes === undefined ? UNKNOWN : `${formatBytes(c.memoryBytes)}${c.memoryLimitBytes ? ` / ${formatBytes(c.memoryLimitBytes)}` : ''}`;
      return [
        { text: c.name },
        { text: `${l.glyph} ${l.word}`, role: l.role },
        { text: c.health === 'none' ? UNKNOWN : c.health, role: c.health === 'unhealthy' ? 'error' : c.health === 'starting' ? 'warn' : undefined },
        { text: up ? formatDuration(now - c.startedAt!) : UNKNOWN },
        { text: formatPercent(c.cpuPercent) },
        { text: mem },
        { text: String(c.restartCount), role: c.restartCount > 0 ? 'warn' : undefined },
        { text: c.image, role: 'muted' },
      ];
    }),
  );
}
