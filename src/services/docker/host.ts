/**
 * DOCKER_HOST → where dockerode connects. sfpipe talks to loopback only (a unix socket or
 * tcp/http on 127.0.0.1, localhost or ::1); anything else is refused before a byte is sent.
 */
import { SfpipeError } from '../../domain/errors.js';

export type DockerEndpoint = { socketPath: string } | { host: string; port: number };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const DEFAULT_TCP_PORT = 2375;

export function dockerEndpoint(dockerHost: string): DockerEndpoint {
  const value = dockerHost.trim();
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw invalid(value, 'a unix socket path must be absolute, e.g. unix:///var/run/docker.sock');
    return { socketPath };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(value, 'use unix:///path/to/docker.sock or tcp://127.0.0.1:2375');
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:') {
    throw invalid(value, `${url.protocol}// engines are not supported; use a unix socket or tcp:// on 127.0.0.1`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!LOOPBACK.has(host)) throw invalid(value, 'sfpipe only talks to a Docker engine on this machine (127.0.0.1, localhost or ::1)');
  return { host, port: url.port ? Number(url.port) : DEFAULT_TCP_PORT };
}

/** How the engine is named in messages (never with credentials: DOCKER_HOST has none we accept). */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  return 'socketPath' in endpoint ? `unix://${endpoint.socketPath}` : `tcp://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

function invalid(value: string, hint: string): SfpipeError {
  // The value is a URL or path chosen by the user, never a secret (the config refuses passwords in it).
  return new SfpipeError('invalid-input', 'docker', `DOCKER_HOST ${JSON.stringify(value)} is not usable`, { location: 'docker.host', hint });
}
