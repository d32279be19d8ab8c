import { describe, expect, it, vi } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import type { ActionDescriptor } from '../../keymap/actions.js';
import { healthyState, nothingState, T0 } from '../test-utils/fixtures.js';
import { KEYS, renderApp } from '../test-utils/render.js';

function op(over: Partial<ActionDescriptor> & Pick<ActionDescriptor, 'id'>): ActionDescriptor {
  return { title: over.id, dangerous: false, appliesTo: 'global', run: vi.fn(async () => ({ ok: true, message: 'done' })), ...over };
}
const statusLine = (r: { lines: () => string[] }) => r.lines().at(-1) ?? '';

describe('operations plugged in as data', () => {
  it('a key runs the operation and the status line shows its result', async () => {
    const pause = op({ id: 'pause', title: 'Pause', run: vi.fn(async () => ({ ok: true, message: 'paused 6 connectors' })) });
    const r = await renderApp({ state: healthyState(), actions: [pause] });
    expect(statusLine(r)).toContain('p pause');
    await r.press('p');
    expect(pause.run).toHaveBeenCalledWith({ pane: 'containers', rowKey: undefined });
    expect(statusLine(r)).toContain('✓ Pause: paused 6 connectors');
  });

  it('a pane operation gets the selected row; from another pane it says where it applies', async () => {
    const restart = op({ id: 'restart', title: 'Restart connector', appliesTo: 'connectors', keys: ['R'] });
    const r = await renderApp({ state: healthyState(), actions: [restart] });
    await r.press('R');
    expect(restart.run).not.toHaveBeenCalled();
    expect(statusLine(r)).toContain('Restart connector is not available: applies to the connectors pane');
    await r.press('3', KEYS.end, 'R');
    expect(restart.run).toHaveBeenCalledWith({ pane: 'connectors', rowKey: 'snowflake-sink' });
  });

  it('read-only: nothing runs, the key says why, help and hints mark it disabled', async () => {
    const setup = op({ id: 'setup', title: 'Setup' });
    const r = await renderApp({ state: healthyState(), actions: [setup], mode: { readOnly: true, reason: 'viewer session: your key is not an operator' } });
    expect(statusLine(r)).toContain('S ⊘setup');
    await r.press('S');
    expect(setup.run).not.toHaveBeenCalled();
    expect(statusLine(r)).toContain('Setup is not available: viewer session: your key is not an operator');
    await r.press('?');
    expect(r.frame()).toContain('Operations are disabled: viewer session');
  });

  it('dangerous: asks first; y runs it, anything else cancels and says nothing was done', async () => {
    const cleanup = op({ id: 'cleanup', title: 'Cleanup', dangerous: true });
    const r = await renderApp({ state: healthyState(), actions: [cleanup] });
    await r.press('X');
    expect(r.frame()).toContain('Confirm: Cleanup');
    await r.press('n');
    expect(cleanup.run).not.toHaveBeenCalled();
    expect(statusLine(r)).toContain('Cleanup: cancelled — nothing was done');
    await r.press('X', 'y');
    expect(cleanup.run).toHaveBeenCalledTimes(1);
  });

  it('a typed confirmation must match exactly', async () => {
    const cleanup = op({ id: 'cleanup', title: 'Cleanup', dangerous: true, confirmText: 'KAFKA_DB' });
    const r = await renderApp({ state: healthyState(), actions: [cleanup] });
    await r.press('X', ...'KAFKA_D', KEYS.enter);
    expect(cleanup.run).not.toHaveBeenCalled();
    expect(statusLine(r)).toContain('typed "KAFKA_D", expected "KAFKA_DB"');
    await r.press('X', ...'KAFKA_DBX', KEYS.backspace);
    expect(r.frame()).toContain('> KAFKA_DB▏');
    await r.press(KEYS.enter);
    expect(cleanup.run).toHaveBeenCalledTimes(1);
  });

  it('a failing operation becomes an error in the status line, not a crash', async () => {
    const resume = op({ id: 'resume', title: 'Resume', run: vi.fn(async () => Promise.reject(new SfpipeError('conflict', 'connect', 'rebalance in progress'))) });
    const r = await renderApp({ state: healthyState(), actions: [resume] });
    await r.press('P');
    expect(statusLine(r)).toContain('✗ Resume failed: connect: rebalance in progress');
  });

  it('an operation that ran but failed (outcome not ok) shows ✗ with its error, never ✓', async () => {
    const resume = op({ id: 'resume', title: 'Resume', run: vi.fn(async () => ({ ok: false, message: 'resume failed at resume-sources: HTTP 500' })) });
    const r = await renderApp({ state: healthyState(), actions: [resume] });
    await r.press('P');
    expect(statusLine(r)).toContain('✗ Resume: resume failed at resume-sources: HTTP 500');
    expect(statusLine(r)).not.toContain('✓');
  });

  it('the store’s last action (from any viewer or the CLI) shows when it is newer', async () => {
    const r = await renderApp({ state: { ...healthyState(), lastAction: { at: T0 - 5_000, action: 'setup', ok: true, message: 'stack is up' } } });
    expect(statusLine(r)).toContain('✓ setup: stack is up (5s ago)');
  });

  it('first run with setup available: the panes name the setup key', async () => {
    const r = await renderApp({ state: nothingState(), actions: [op({ id: 'setup', title: 'Setup' })] });
    expect(r.frame()).toContain('Press S to run setup');
  });
});
