/** Polls the compose project's containers. */
import type { DockerService } from '../services/types.js';
import type { Poller } from './poller.js';
import { createSourcePoller, type SourcePollerOptions, type Store } from './sourcePoller.js';

export function createDockerPoller(store: Store, docker: DockerService, options: SourcePollerOptions): Poller {
  return createSourcePoller(store, 'docker', (signal, timeoutMs) => docker.listContainers({ signal, timeoutMs }), options);
}
