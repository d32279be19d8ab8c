/** A few lines in one role: guidance for an empty pane, a stale-data notice, a footer. */
import { Box, Text } from 'ink';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import type { Role } from '../theme/semantic.js';

export function MessageLines({ lines, role, width, wrap = 'wrap' }: { lines: readonly string[]; role?: Role | undefined; width: number; wrap?: 'wrap' | 'truncate' }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      {lines.map((line, i) => (
        <Text key={i} color={roleColor(theme, i === 0 ? role : undefined)} wrap={wrap}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
