import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { enterFullscreen, ENTER_ALT_SCREEN, HIDE_CURSOR, LEAVE_ALT_SCREEN, restoreTerminalOnExit, SHOW_CURSOR, type ProcessLike } from './fullscreen.js';

function fakeOut() {
  const chunks: string[] = [];
  return { chunks, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

class FakeProcess extends EventEmitter implements ProcessLike {
  exitCode: number | undefined;
  exit(code: number) {
    this.exitCode = code;
  }
}

describe('enterFullscreen', () => {
  it('switches to the alternate screen with a hidden cursor, and leaving restores both once', () => {
    const out = fakeOut();
    const leave = enterFullscreen(out);
    expect(out.text().startsWith(ENTER_ALT_SCREEN + HIDE_CURSOR)).toBe(true);
    leave();
    leave();
    expect(out.text().endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
    expect(out.text().split(LEAVE_ALT_SCREEN)).toHaveLength(2);
  });
});

describe('restoreTerminalOnExit', () => {
  it('hands SIGTERM to the app with exit code 143 (the app then restores)', () => {
    const proc = new FakeProcess();
    const onSignal = vi.fn();
    restoreTerminalOnExit({ leave: vi.fn(), onSignal, stderr: fakeOut(), proc });
    proc.emit('SIGTERM');
    expect(onSignal).toHaveBeenCalledWith('SIGTERM', 143);
  });

  it('on a crash: restores the terminal first, then reports, then exits 1', () => {
    const proc = new FakeProcess();
    const out = fakeOut();
    const err = fakeOut();
    const leave = enterFullscreen(out);
    restoreTerminalOnExit({ leave, onSignal: vi.fn(), stderr: { write: (s: string) => (out.write('<stderr>'), err.write(s)) }, proc });
    proc.emit('uncaughtException', new Error('boom'));
    expect(out.text()).toContain(SHOW_CURSOR + LEAVE_ALT_SCREEN + '<stderr>');
    expect(err.text()).toContain('boom');
    expect(proc.exitCode).toBe(1);
  });

  it('restores on process exit as a last resort, and uninstalls every listener', () => {
    const proc = new FakeProcess();
    const leave = vi.fn();
    const uninstall = restoreTerminalOnExit({ leave, onSignal: vi.fn(), stderr: fakeOut(), proc });
    proc.emit('exit', 0);
    expect(leave).toHaveBeenCalledTimes(1);
    uninstall();
    expect(proc.eventNames()).toEqual([]);
  });
});
