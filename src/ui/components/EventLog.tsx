/** The event log: state changes and actions, timestamped, newest last; the store bounds it. */
import { memo } from 'react';
import { Text } from 'ink';
import { useConsole, usePipeline } from '../ConsoleContext.js';
import { plainText } from '../format/plainText.js';
import { formatClock } from '../format/time.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import { GLYPH } from '../theme/symbols.js';
import { FRAME_CHROME, PaneFrame } from './PaneFrame.js';
import type { EventLevel } from '../../store/state.js';
import type { Role } from '../theme/semantic.js';

const LEVEL: Record<EventLevel, { glyph: string; role: Role }> = {
  info: { glyph: GLYPH.ok, role: 'muted' },
  warn: { glyph: GLYPH.warn, role: 'warn' },
  error: { glyph: GLYPH.error, role: 'error' },
};

export const EventLog = memo(function EventLog({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const { utc } = useConsole();
  const events = usePipeline((s) => s.events);
  const shown = events.slice(-Math.max(0, height - FRAME_CHROME));
  return (
    <PaneFrame title="Events" focused={false} width={width} height={height} note={{ text: `${events.length}`, role: 'muted' }}>
      {shown.length === 0 ? <Text color={roleColor(theme, 'muted')}>No events yet.</Text> : null}
      {shown.map((e, i) => {
        const l = LEVEL[e.level] ?? LEVEL.info;
        return (
          <Text key={`${e.at}-${i}`} wrap="truncate">
            <Text color={roleColor(theme, 'muted')}>{`${formatClock(e.at, utc)} `}</Text>
            <Text color={roleColor(theme, l.role)}>{`${l.glyph} `}</Text>
            {`${e.source}: ${plainText(e.message.startsWith(`${e.source}:`) ? e.message.slice(e.source.length + 1).trimStart() : e.message)}`}
          </Text>
        );
      })}
    </PaneFrame>
  );
});
