/**
 * How sfpipe invokes Docker Compose. Debian's docker-compose v1 (1.29) ignores a top-level
 * `name:`, so the project name comes from `-p` (and from .env's COMPOSE_PROJECT_NAME for a
 * person typing `docker-compose up` by hand); both v1 and `docker compose` v2 honour them.
 */
import { CONTROL_CENTER_PROFILE } from './services.js';

export const COMPOSE_PROJECT_NAME = 'sfpipe';
export const COMPOSE_FILE_NAME = 'docker-compose.yml';

export interface ComposeArgsOptions {
  /** path of docker-compose.yml */
  file: string;
  project?: string;
  /** also start Control Center, Prometheus and Alertmanager */
  withControlCenter?: boolean;
}

/** Global arguments that go before the compose subcommand (`up`, `ps`, `config` …). */
export function composeArgs(options: ComposeArgsOptions): string[] {
  const args = ['-f', options.file, '-p', options.project ?? COMPOSE_PROJECT_NAME];
  if (options.withControlCenter) args.push('--profile', CONTROL_CENTER_PROFILE);
  return args;
}
