import { describe, expect, it } from 'vitest';
import { connectorStateLook, containerLook, taskLook, taskRunLook, tasksLook } from './states.js';

describe('state looks: a symbol, a word and a role for every state', () => {
  it('containers', () => {
    expect(containerLook({ state: 'running', health: 'healthy', exitCode: undefined })).toEqual({ glyph: '●', word: 'running', role: 'ok' });
    expect(containerLook({ state: 'running', health: 'unhealthy', exitCode: undefined })).toMatchObject({ glyph: '✗', role: 'error' });
    expect(containerLook({ state: 'paused', health: 'none', exitCode: undefined })).toMatchObject({ glyph: '‖', word: 'paused', role: 'warn' });
    expect(containerLook({ state: 'exited', health: 'none', exitCode: 137 })).toMatchObject({ word: 'exited (137)', role: 'error' });
    expect(containerLook({ state: 'exited', health: 'none', exitCode: 0 })).toMatchObject({ role: 'idle' });
  });

  it('shows unknown future states as they are, marked ?', () => {
    expect(containerLook({ state: 'hibernating', health: 'none', exitCode: undefined })).toEqual({ glyph: '?', word: 'hibernating', role: 'unknown' });
    expect(connectorStateLook('DEGRADED')).toEqual({ glyph: '?', word: 'DEGRADED', role: 'unknown' });
    expect(taskLook('resuming')).toMatchObject({ glyph: '?', word: 'resuming' });
    expect(taskRunLook('QUEUED')).toMatchObject({ glyph: '?', word: 'QUEUED' });
  });

  it('connectors and their tasks', () => {
    expect(connectorStateLook('FAILED')).toMatchObject({ glyph: '✗', role: 'error' });
    expect(connectorStateLook('PAUSED')).toMatchObject({ glyph: '‖', role: 'warn' });
    expect(tasksLook({ tasksTotal: 3, tasksRunning: 2, failedTasks: [1] })).toMatchObject({ word: '1/3 FAILED', role: 'error' });
    expect(tasksLook({ tasksTotal: 2, tasksRunning: 2, failedTasks: [] })).toMatchObject({ word: '2/2 RUNNING', role: 'ok' });
    expect(tasksLook({ tasksTotal: 0, tasksRunning: 0, failedTasks: [] })).toMatchObject({ word: 'no tasks', role: 'warn' });
  });
});
