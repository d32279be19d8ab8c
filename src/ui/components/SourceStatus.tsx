/**
 * Source health inside a pane: the title's status (with the data's age) and the notices
 * about missing or stale sources. These small components are the only parts of a pane
 * that read the clock, so a tick does not re-render the table.
 */
import { Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import type { SourceName, SourceState } from '../../domain/model.js';
import { useNow } from '../clock/NowContext.js';
import { usePipeline } from '../ConsoleContext.js';
import { sourceGuidance, sourceSummary, summaryText, SOURCE_LABELS } from '../format/sources.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import { MessageLines } from './MessageLines.js';
import { useSetupKey } from '../keys/useSetupKey.js';

export function useSourceStates(names: readonly SourceName[]): Array<SourceState<unknown>> {
  return usePipeline(useShallow((s) => names.map((n) => s.sources[n] as SourceState<unknown>)));
}

export function SourceTitleStatus({ names }: { names: readonly SourceName[] }) {
  const theme = useTheme();
  const now = useNow();
  const states = useSourceStates(names);
  return (
    <>
      {states.map((state, i) => {
        const s = sourceSummary(state, now);
        // Several sources share the title: the symbol carries the state (●▲✗○?), the pane body says more.
        const text = names.length > 1 ? `${s.look.glyph} ${SOURCE_LABELS[names[i]!]}` : `${s.look.glyph} ${summaryText(s)}`;
        return <Text key={names[i]} color={roleColor(theme, s.look.role)}>{`  ${text}`}</Text>;
      })}
    </>
  );
}

/** Non-ok sources: full guidance (wrapped) when the pane has nothing to show, else one truncated line each. */
export function SourceNotices({ names, width, full }: { names: readonly SourceName[]; width: number; full: boolean }) {
  const now = useNow();
  const setupKey = useSetupKey();
  const states = useSourceStates(names);
  const guidance = states.map((state, i) => [names[i]!, sourceGuidance(names[i]!, state, now, setupKey)] as const);
  const fixes = full ? [...new Set(guidance.map(([, g]) => g?.fix).filter((f): f is string => f !== undefined))] : [];
  return (
    <>
      {guidance.map(([name, g]) =>
        g ? <MessageLines key={name} lines={full ? g.lines : g.lines.slice(0, 1)} role={g.role} width={width} wrap={full ? 'wrap' : 'truncate'} /> : null,
      )}
      {fixes.length > 0 ? <MessageLines lines={fixes} role="accent" width={width} /> : null}
    </>
  );
}
