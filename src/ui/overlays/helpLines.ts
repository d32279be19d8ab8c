/** The help overlay's lines, generated from the command table (keymap + operations). */
import type { HelpSection } from '../../keymap/commandTable.js';
import type { Line } from '../components/ScrollView.js';

export function helpLines(sections: readonly HelpSection[], readOnlyReason: string | undefined): Line[] {
  const width = Math.max(8, ...sections.flatMap((s) => s.rows.map((r) => [...r.keys].length)));
  const lines: Line[] = [];
  if (readOnlyReason) lines.push({ text: `Operations are disabled: ${readOnlyReason}.`, role: 'warn' }, { text: '' });
  for (const section of sections) {
    lines.push({ text: section.title, role: 'accent', bold: true });
    for (const r of section.rows) {
      const disabled = r.enabled ? '' : ` — ⊘ disabled: ${r.reason}`;
      lines.push({ text: `  ${r.keys.padEnd(width)}  ${r.description}${disabled}`, role: r.enabled ? undefined : 'muted' });
    }
    lines.push({ text: '' });
  }
  return lines;
}
