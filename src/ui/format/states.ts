/**
 * How each backend state looks: symbol, word and role. Unknown states (a newer Connect
 * or Docker) are shown as-is with '?', never hidden or crashed on.
 */
import type { ConnectorState, ContainerInfo, SnowflakeTask, TaskRunState } from '../../domain/model.js';
import { GLYPH, look, type StatusLook } from '../theme/symbols.js';

export function containerLook(c: Pick<ContainerInfo, 'state' | 'health' | 'exitCode'>): StatusLook {
  switch (c.state) {
    case 'running':
      if (c.health === 'unhealthy') return look('error', 'unhealthy');
      if (c.health === 'starting') return look('warn', 'starting');
      return look('ok', 'running');
    case 'paused':
      return look('warn', 'paused', GLYPH.paused);
    case 'restarting':
      return look('warn', 'restarting');
    case 'removing':
      return look('warn', 'removing');
    case 'created':
      return look('idle', 'created');
    case 'exited':
      return c.exitCode === undefined || c.exitCode === 0 ? look('idle', `exited (${c.exitCode ?? '?'})`) : look('error', `exited (${c.exitCode})`);
    case 'dead':
      return look('error', 'dead');
    default:
      return look('unknown', String(c.state));
  }
}

export function connectorStateLook(state: ConnectorState): StatusLook {
  switch (state) {
    case 'RUNNING':
      return look('ok', 'RUNNING');
    case 'PAUSED':
      return look('warn', 'PAUSED', GLYPH.paused);
    case 'STOPPED':
      return look('idle', 'STOPPED');
    case 'FAILED':
      return look('error', 'FAILED');
    case 'RESTARTING':
    case 'UNASSIGNED':
      return look('warn', state);
    default:
      return look('unknown', String(state));
  }
}

/** Tasks summarised: '2/2 RUNNING', '1/3 FAILED', '1/2 RUNNING' (others not running), 'no tasks'. */
export function tasksLook(c: { tasksTotal: number; tasksRunning: number; failedTasks: readonly number[] }): StatusLook {
  if (c.tasksTotal === 0) return look('warn', 'no tasks');
  if (c.failedTasks.length > 0) return look('error', `${c.failedTasks.length}/${c.tasksTotal} FAILED`);
  return look(c.tasksRunning === c.tasksTotal ? 'ok' : 'warn', `${c.tasksRunning}/${c.tasksTotal} RUNNING`);
}

export function taskLook(state: SnowflakeTask['state'] | undefined): StatusLook {
  if (state === undefined) return look('idle', 'no task');
  if (state === 'started') return look('ok', 'started');
  if (state === 'suspended') return look('warn', 'suspended', GLYPH.paused);
  return look('unknown', String(state));
}

export function taskRunLook(state: TaskRunState | undefined): StatusLook {
  switch (state) {
    case undefined:
      return look('idle', 'never ran');
    case 'SUCCEEDED':
      return look('ok', 'SUCCEEDED');
    case 'FAILED':
    case 'FAILED_AND_AUTO_SUSPENDED':
      return look('error', state);
    case 'EXECUTING':
      return look('ok', 'EXECUTING', '▶');
    case 'SKIPPED':
    case 'SCHEDULED':
      return look('idle', state);
    case 'CANCELLED':
      return look('warn', 'CANCELLED');
    default:
      return look('unknown', String(state));
  }
}
