/**
 * The contract with kafkajs's internals (internals.ts): if an upgrade renames or removes any
 * of it, this fails here, in a unit test, instead of in the console. No network: building a
 * cluster does not connect.
 */
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createInternalCluster, installedKafkajsVersion, KAFKAJS_VERSION } from './internals.js';
import { RequestCounter } from './requestCounter.js';

describe('kafkajs internals sfpipe relies on', () => {
  it('is the pinned kafkajs', () => {
    expect(installedKafkajsVersion()).toBe(KAFKAJS_VERSION);
  });

  it('builds a cluster with every method the adapter calls', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING });
    const cluster = createInternalCluster(kafka, new RequestCounter());
    for (const method of ['connect', 'disconnect', 'refreshMetadata', 'findBroker', 'findControllerBroker', 'findGroupCoordinatorMetadata'] as const) {
      expect(typeof cluster[method], method).toBe('function');
    }
    expect(cluster.brokerPool).toHaveProperty('metadata', null);
  });

  it('has the broker methods, the ListOffsets definition and the request event the adapter uses', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const Broker = require('kafkajs/src/broker/index.js') as { prototype: Record<string, unknown> };
    for (const method of ['metadata', 'offsetFetch', 'fetch', 'createTopics']) expect(typeof Broker.prototype[method], method).toBe('function');
    const ConnectionPool = require('kafkajs/src/network/connectionPool.js') as { prototype: Record<string, unknown> };
    expect(typeof ConnectionPool.prototype.send).toBe('function');
    // lookupRequest is set per broker instance (before connect it throws "not initialized")
    const broker = new (Broker as unknown as new (o: object) => Record<string, unknown>)({ connectionPool: { connectionTimeout: 1, host: 'h', port: 1 }, logger: { namespace: () => ({}) } });
    expect(typeof broker.lookupRequest).toBe('function');
    const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
    expect(apiKeys.ListOffsets).toBe(2);
    const { requests } = require('kafkajs/src/protocol/requests/index.js') as { requests: Record<string, { versions: string[]; protocol: unknown }> };
    expect(requests.ListOffsets!.versions).toEqual(['0', '1', '2', '3']);
    expect(typeof requests.ListOffsets!.protocol).toBe('function');
    const events = require('kafkajs/src/network/instrumentationEvents.js') as Record<string, string>;
    expect(events.NETWORK_REQUEST).toBe('network.request');
    expect(events.NETWORK_REQUEST_TIMEOUT).toBe('network.request_timeout');
  });

  it('counts answered requests by API and by broker', () => {
    const counter = new RequestCounter();
    counter.emit('network.request', { apiName: 'ListOffsets', broker: '127.0.0.1:9092' });
    counter.emit('network.request', { apiName: 'ListOffsets', broker: '127.0.0.1:9093' });
    counter.emit('network.request', { apiName: 'OffsetFetch', broker: '127.0.0.1:9092' });
    counter.emit('network.request', {});
    counter.emit('network.request_queue_size', { queueSize: 1, broker: '127.0.0.1:9092' });
    counter.emit('network.request_timeout', { apiName: 'Metadata', broker: '127.0.0.1:9092' });
    expect(counter.counts()).toEqual({
      total: 4,
      byApi: { ListOffsets: 2, OffsetFetch: 1, unknown: 1 },
      byBroker: { '127.0.0.1:9092': 2, '127.0.0.1:9093': 1, unknown: 1 },
      timedOut: 1,
    });
    counter.reset();
    expect(counter.counts()).toEqual({ total: 0, byApi: {}, byBroker: {}, timedOut: 0 });
  });
});
