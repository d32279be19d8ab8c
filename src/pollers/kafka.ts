/** Polls topics, offsets and sink lag, and derives per-topic message rates from them. */
import type { KafkaService } from '../services/types.js';
import type { Poller } from './poller.js';
import { TopicRates, type RateOptions } from './rates.js';
import { createSourcePoller, type SourcePollerOptions, type Store } from './sourcePoller.js';

export interface KafkaPollerOptions extends SourcePollerOptions {
  /** consumer group of the Snowflake sink: connect-<sink connector name> */
  sinkGroup?: string;
  rates?: RateOptions;
}

export function createKafkaPoller(store: Store, kafka: KafkaService, options: KafkaPollerOptions): Poller {
  const rates = new TopicRates(options.rates);
  return createSourcePoller(
    store,
    'kafka',
    (signal, timeoutMs) => kafka.snapshot({ signal, timeoutMs, ...(options.sinkGroup !== undefined ? { sinkGroup: options.sinkGroup } : {}) }),
    options,
    (snapshot, at) => store.getState().recordRates(rates.update(snapshot, at)),
  );
}
