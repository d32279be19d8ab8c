/** How doctor results are printed: one line per check for people, one JSON object per line for scripts. */
import type { CheckResult, CheckStatus } from './checks.js';

export const SYMBOL: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

export function formatHuman(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.id.length));
  const lines = results.map((r) => `${SYMBOL[r.status]} ${r.id.padEnd(width)}  ${oneLine(r.detail)}${r.fix && r.status !== 'ok' ? ` — ${oneLine(r.fix)}` : ''}`);
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push(
    '',
    failed
      ? `${failed} problem${failed === 1 ? '' : 's'} to fix (✗)${warned ? `, ${warned} warning${warned === 1 ? '' : 's'} (!)` : ''}.`
      : `Everything sfpipe needs is in place${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`,
    '',
  );
  return lines.join('\n');
}

export function formatJsonLines(results: readonly CheckResult[]): string {
  return results.map((r) => JSON.stringify({ check: r.id, status: r.status, detail: r.detail, ...(r.fix ? { fix: r.fix } : {}) })).join('\n') + '\n';
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
