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
import type { Role } from '../theme/semantic.js';
import { formatClock, formatDuration } from '../format/time.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import { useSourceStates } from './SourceStatus.js';

type SourceStateAny = Parameters<typeof sourceSummary>[0];

/** One badge per source; compact drops the detail: the age alone says "ok", problems keep their word. */
export function badgeText(name: SourceName, state: SourceStateAny, now: number, compact: boolean): { text: string; role: Role } {
  const s = sourceSummary(state, now);
  const word = state.status === 'unconfigured' ? 'not set' : s.look.word;
  const detail = !compact ? summaryText(s) : s.look.word === 'ok' && s.age !== undefined ? s.age : word;
  return { text: `${s.look.glyph} ${SOURCE_LABELS[name]} ${detail}  `, role: s.look.role };
}

const INFO_WIDTH = 40; // 'refresh 2s  READ-ONLY  12:00:00' and some room
const TITLE = 'sfpipe  ';

export const Header = memo(function Header({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const now = useNow();
  const { mode, utc } = useConsole();
  const refreshMs = usePipeline((s) => s.settings.refreshMs);
  const states = useSourceStates(SOURCE_NAMES);
  // Full words when they fit on the line they get; otherwise compact, so no source is cut off.
  const full = SOURCE_NAMES.map((n, i) => badgeText(n, states[i]!, now, false));
  const room = height > 1 ? width : width - INFO_WIDTH - TITLE.length;
  const badges = full.reduce((sum, b) => sum + [...b.text].length, 0) <= room ? full : SOURCE_NAMES.map((n, i) => badgeText(n, states[i]!, now, true));
  const sources = (
    <Text wrap="truncate">
      {badges.map((b, i) => (
        <Text key={SOURCE_NAMES[i]} color={roleColor(theme, b.role)}>
          {b.text}
        </Text>
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
      {TITLE}
    </Text>
  );
  if (height === 1) {
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
