/**
 * dockerode / docker-modem failures → SfpipeError. HTTP errors carry the engine's own message
 * (in `json.message`); socket errors carry a code (ENOENT: no socket, ECONNREFUSED: nobody
 * listening, EACCES: not allowed to use it).
 */
import { SfpipeError, toSfpipeError, type ErrorKind } from '../../domain/errors.js';

interface ModemError {
  statusCode?: unknown;
  json?: unknown;
  code?: unknown;
  message?: unknown;
  name?: unknown;
}

const HINTS: Partial<Record<ErrorKind, string>> = {
  unreachable: 'is Docker running? check DOCKER_HOST (docker.host) or start the engine',
  auth: 'sfpipe may not use the Docker socket: run as a member of the docker group, or point DOCKER_HOST at a socket you can use',
  timeout: 'the Docker engine is slow or hung; sfpipe keeps the last good data and retries',
};

export function dockerErrorKind(err: unknown): ErrorKind {
  const e = (err ?? {}) as ModemError;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined) {
    if (status === 404) return 'not-found';
    if (status === 409 || status === 304) return 'conflict';
    if (status === 400) return 'invalid-input';
    if (status === 401 || status === 403) return 'auth';
    return 'bad-response';
  }
  if (e.name === 'AbortError') return 'timeout';
  return toSfpipeError(err, 'docker').kind;
}

/** The engine's message for an HTTP error, without dockerode's "(HTTP code 409) unexpected - " prefix. */
export function engineMessage(err: unknown): string {
  const e = (err ?? {}) as ModemError;
  const json = e.json as { message?: unknown } | null | undefined;
  if (json && typeof json === 'object' && typeof json.message === 'string') return json.message.trim();
  const message = typeof e.message === 'string' ? e.message : String(err);
  return message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
}

/** An SfpipeError for a failed Docker call; `what` says what was asked ("pause sfpipe-connect"). */
export function toDockerError(err: unknown, what: string, engine?: string): SfpipeError {
  if (err instanceof SfpipeError) return err;
  const kind = dockerErrorKind(err);
  const e = (err ?? {}) as ModemError;
  const status = typeof e.statusCode === 'number' ? ` (HTTP ${e.statusCode})` : '';
  const where = kind === 'unreachable' && engine ? ` at ${engine}` : '';
  const detail = kind === 'unreachable' ? `no Docker engine answers${where}: ${engineMessage(err)}` : `${engineMessage(err)}${status}`;
  return new SfpipeError(kind, 'docker', `${what}: ${detail}`, { hint: HINTS[kind], cause: err });
}
