/**
 * The frame every pane shares: a border (double when focused, so focus shows without
 * colour), a title line with the pane number, the source status and a right-hand note.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import type { Role } from '../theme/semantic.js';

export interface TitlePart {
  text: string;
  role?: Role;
}

export interface PaneFrameProps {
  number?: number;
  title: string;
  focused: boolean;
  width: number;
  height: number;
  /** source status, rendered after the title */
  status?: ReactNode;
  /** right-aligned: filter, position */
  note?: TitlePart | undefined;
  children: ReactNode;
}

/** Lines a frame takes from its height: two borders and the title. */
export const FRAME_CHROME = 3;

export function PaneFrame({ number, title, focused, width, height, status, note, children }: PaneFrameProps) {
  const theme = useTheme();
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle={focused ? 'double' : 'single'}
      borderColor={roleColor(theme, focused ? 'focus' : 'muted')}
      paddingX={0}
      overflow="hidden"
    >
      <Box justifyContent="space-between" height={1}>
        <Box flexShrink={1} overflow="hidden">
          <Text wrap="truncate">
            <Text bold color={roleColor(theme, focused ? 'focus' : 'accent')}>
              {number === undefined ? '' : `${number} `}
              {title}
            </Text>
            {status}
          </Text>
        </Box>
        {note ? (
          <Box flexShrink={0} marginLeft={1}>
            <Text color={roleColor(theme, note.role)}>{note.text}</Text>
          </Box>
        ) : null}
      </Box>
      {children}
    </Box>
  );
}
