/**
 * Stack health at a glance: one status per source with the age of its data, the refresh
 * interval, operator or read-only mode, and the clock. Two lines on narrow terminals.
 */
import { memo } from 'react';
import { Box, Text } from 'ink';
import { SOURCE_NAMES, type SourceName } from '../../domain/model.js';
import { useNow } from '../clock/NowContext.js';
import { useConsole, usePipeline } from '../ConsoleContext.js';
import { sourceSummary, summaryText, SOURCE_LABELS } from '../format/sources.js';
import { formatClock, formatDuration } from '../format/time.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import { useSourceStates } from './SourceStatus.js';

function SourceBadge({ name, state, now, compact }: { name: SourceName; state: Parameters<typeof sourceSummary>[0]; now: number; compact: boolean }) {
  const theme = useTheme();
  const s = sourceSummary(state, now);
  // Compact: the age alone says "ok"; problems keep their word.
  const text = compact && s.look.word === 'ok' && s.age !== undefined ? s.age : compact ? s.look.word : summaryText(s);
  return <Text color={roleColor(theme, s.look.role)}>{`${s.look.glyph} ${SOURCE_LABELS[name]} ${text}  `}</Text>;
}

export const Header = memo(function Header({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const now = useNow();
  const { mode, utc } = useConsole();
  const refreshMs = usePipeline((s) => s.settings.refreshMs);
  const states = useSourceStates(SOURCE_NAMES);
  const compact = height > 1;
  const sources = (
    <Text wrap="truncate">
      {SOURCE_NAMES.map((n, i) => (
        <SourceBadge key={n} name={n} state={states[i]!} now={now} compact={compact} />
      ))}
    </Text>
  );
  const info = (
    <Text wrap="truncate">
      <Text color={roleColor(theme, 'muted')}>{`refresh ${formatDuration(refreshMs)}  `}</Text>
      <Text bold color={roleColor(theme, mode.readOnly ? 'warn' : 'accent')}>{mode.readOnly ? 'READ-ONLY' : 'OPERATOR'}</Text>
      <Text>{`  ${formatClock(now, utc)}`}</Text>
    </Text>
  );
  const title = (
    <Text bold color={roleColor(theme, 'accent')}>
      {'sfpipe  '}
    </Text>
  );
  if (!compact) {
    return (
      <Box width={width} height={1} justifyContent="space-between">
        <Box flexShrink={1}>
          {title}
          {sources}
        </Box>
        <Box flexShrink={0}>{info}</Box>
      </Box>
    );
  }
  return (
    <Box width={width} height={height} flexDirection="column">
      <Box justifyContent="space-between">
        {title}
        {info}
      </Box>
      {sources}
    </Box>
  );
});
