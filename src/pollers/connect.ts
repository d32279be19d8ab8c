/** Polls every connector's status and info (one request per refresh). */
import type { ConnectService } from '../services/types.js';
import type { Poller } from './poller.js';
import { createSourcePoller, type SourcePollerOptions, type Store } from './sourcePoller.js';

export function createConnectPoller(store: Store, connect: ConnectService, options: SourcePollerOptions): Poller {
  return createSourcePoller(store, 'connect', (signal, timeoutMs) => connect.list({ signal, timeoutMs }), options);
}
