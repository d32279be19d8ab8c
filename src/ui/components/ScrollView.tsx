/** A framed, scrollable list of lines (help, details). Its owner keeps the offset and handles keys. */
import { Text } from 'ink';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import type { Role } from '../theme/semantic.js';
import { FRAME_CHROME, PaneFrame, type TitlePart } from './PaneFrame.js';

export interface Line {
  text: string;
  role?: Role | undefined;
  bold?: boolean;
}

export function scrollViewRows(height: number): number {
  return Math.max(1, height - FRAME_CHROME);
}

export function ScrollView({ title, lines, width, height, offset, status }: { title: string; lines: readonly Line[]; width: number; height: number; offset: number; status?: TitlePart }) {
  const theme = useTheme();
  const rows = scrollViewRows(height);
  const shown = lines.slice(offset, offset + rows);
  const position = lines.length > rows ? `${offset + 1}–${Math.min(lines.length, offset + rows)} of ${lines.length}` : '';
  return (
    <PaneFrame
      title={title}
      focused
      width={width}
      height={height}
      status={status ? <Text color={roleColor(theme, status.role)}>{`  ${status.text}`}</Text> : undefined}
      note={position ? { text: position, role: 'muted' } : undefined}
    >
      {shown.map((l, i) => (
        <Text key={offset + i} wrap="truncate" bold={l.bold ?? false} color={roleColor(theme, l.role)}>
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
    </PaneFrame>
  );
}
