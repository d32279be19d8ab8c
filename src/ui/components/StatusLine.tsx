/**
 * The status line: the result of the last action (this viewer's notice or the store's last
 * action, whichever is newer) and the keys that apply right now, generated from the keymap.
 */
import { memo } from 'react';
import { Box, Text } from 'ink';
import { statusHints, type HintContext } from '../../keymap/commandTable.js';
import { useNow } from '../clock/NowContext.js';
import { useConsole, usePipeline, useUi } from '../ConsoleContext.js';
import { plainText } from '../format/plainText.js';
import { formatAge } from '../format/time.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import { GLYPH } from '../theme/symbols.js';
import type { Role } from '../theme/semantic.js';
import type { Notice } from '../uiStore.js';

const NOTICE_LOOK: Record<Notice['level'], { glyph: string; role: Role }> = {
  info: { glyph: '…', role: 'accent' },
  ok: { glyph: '✓', role: 'ok' },
  warn: { glyph: GLYPH.warn, role: 'warn' },
  error: { glyph: GLYPH.error, role: 'error' },
};

function useLatestNotice(): Notice | undefined {
  const notice = useUi((s) => s.notice);
  const last = usePipeline((s) => s.lastAction);
  const fromStore: Notice | undefined = last && { at: last.at, level: last.ok ? 'ok' : 'error', text: `${last.action}: ${last.message}` };
  if (!notice) return fromStore;
  if (!fromStore) return notice;
  return fromStore.at > notice.at ? fromStore : notice;
}

export const StatusLine = memo(function StatusLine({ width }: { width: number }) {
  const theme = useTheme();
  const now = useNow();
  const { keymap, actions, mode } = useConsole();
  const focus = useUi((s) => s.focus);
  const overlay = useUi((s) => s.overlay.kind);
  const filtering = useUi((s) => s.filtering);
  const selectedKey = useUi((s) => s.selection[s.focus].key);
  const notice = useLatestNotice();
  const context: HintContext = overlay === 'none' ? (filtering ? 'filter' : 'pane') : overlay;
  const hints = statusHints(keymap, actions, mode, { pane: focus, rowKey: selectedKey }, context);
  const n = notice ? NOTICE_LOOK[notice.level] : undefined;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        {notice && n ? (
          <Text color={roleColor(theme, n.role)}>{`${n.glyph} ${plainText(notice.text)} (${formatAge(notice.at, now)} ago)  │ `}</Text>
        ) : null}
        {hints.map((h) => (
          <Text key={`${h.keys}-${h.label}`}>
            <Text bold color={roleColor(theme, h.enabled ? 'accent' : 'muted')}>
              {h.keys}
            </Text>
            <Text color={roleColor(theme, h.enabled ? undefined : 'muted')}>{` ${h.enabled ? '' : '⊘'}${h.label}  `}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
});
