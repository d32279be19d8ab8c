import { homedir } from 'node:os';
import { join } from 'node:path';

/** Root of everything the harness downloads and runs: SFPIPE_HARNESS_HOME, else $XDG_CACHE_HOME/sfpipe-harness, else ~/.cache/sfpipe-harness. */
export function harnessHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SFPIPE_HARNESS_HOME) return env.SFPIPE_HARNESS_HOME;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'sfpipe-harness');
}

export const dirs = (home: string) => ({
  run: join(home, 'run'), // pid files, ownership markers, locks
  logs: join(home, 'logs'),
});
