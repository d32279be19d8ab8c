import { Box, Text } from 'ink';
import { MIN_SIZE, type TerminalSize } from '../layout/sizing.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';

/** Below 80×24 nothing would be readable: say so plainly; q still quits. */
export function TooSmall({ size }: { size: TerminalSize }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={size.columns}>
      <Text color={roleColor(theme, 'warn')} wrap="wrap">{`▲ terminal too small (need ${MIN_SIZE.columns}×${MIN_SIZE.rows}, have ${size.columns}×${size.rows})`}</Text>
      <Text wrap="wrap">Enlarge the window, or press q to quit.</Text>
    </Box>
  );
}
