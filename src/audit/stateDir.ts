/**
 * Where sfpipe keeps what it writes about itself (audit log, runbook journal): SFPIPE_STATE_DIR,
 * else $XDG_STATE_HOME/sfpipe, else ~/.local/state/sfpipe — never the project directory.
 */
import { join } from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv, homedir: string): string {
  if (env.SFPIPE_STATE_DIR) return env.SFPIPE_STATE_DIR;
  return join(env.XDG_STATE_HOME || join(homedir, '.local', 'state'), 'sfpipe');
}

/** The audit log file: SFPIPE_AUDIT_LOG, else <state dir>/audit.jsonl. */
export function auditLogPath(env: NodeJS.ProcessEnv, homedir: string): string {
  return env.SFPIPE_AUDIT_LOG || join(stateDir(env, homedir), 'audit.jsonl');
}
