import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { kafkaErrorKind, protocolErrorType, toKafkaError } from './errors.js';

// kafkajs's own error classes, shaped as its internals throw them
const protocol = (type: string) => new KafkaJSProtocolError({ message: `${type} happened`, type, code: 3, retriable: false } as unknown as string);
const retried = (cause: Error) => new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 0, retryTime: 300 });

describe('kafka errors', () => {
  it('a refused connection, even wrapped in retries-exceeded, is unreachable', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', { broker: '127.0.0.1:1', code: 'ECONNREFUSED' });
    const err = toKafkaError(retried(refused), 'Kafka snapshot');
    expect(err).toBeInstanceOf(SfpipeError);
    expect(err).toMatchObject({ kind: 'unreachable', source: 'kafka', message: 'Kafka snapshot: Connection error: connect ECONNREFUSED 127.0.0.1:1' });
    expect(err.hint).toMatch(/SFPIPE_KAFKA_BROKERS/);
  });

  it('request and connection timeouts are timeouts', () => {
    expect(kafkaErrorKind(new KafkaJSRequestTimeoutError('Request ApiVersions(key: 18, version: 2) timed out'))).toBe('timeout');
    expect(kafkaErrorKind(new KafkaJSConnectionError('Connection timeout', { broker: 'x:1' }))).toBe('timeout');
  });

  it('protocol errors map by their type', () => {
    expect(kafkaErrorKind(protocol('UNKNOWN_TOPIC_OR_PARTITION'))).toBe('not-found');
    expect(kafkaErrorKind(protocol('TOPIC_ALREADY_EXISTS'))).toBe('conflict');
    expect(kafkaErrorKind(protocol('INVALID_REPLICATION_FACTOR'))).toBe('invalid-input');
    expect(kafkaErrorKind(protocol('TOPIC_AUTHORIZATION_FAILED'))).toBe('auth');
    expect(kafkaErrorKind(protocol('LEADER_NOT_AVAILABLE'))).toBe('unreachable');
    expect(kafkaErrorKind(protocol('CORRUPT_MESSAGE'))).toBe('bad-response');
    expect(protocolErrorType(retried(protocol('NOT_LEADER_OR_FOLLOWER')))).toBe('NOT_LEADER_OR_FOLLOWER');
  });

  it('per-topic errors of an aggregate take the first one’s kind', () => {
    const aggregate = Object.assign(new Error('Topic creation errors'), { name: 'KafkaJSAggregateError', errors: [protocol('INVALID_PARTITIONS')] });
    expect(kafkaErrorKind(aggregate)).toBe('invalid-input');
  });

  it('keeps an SfpipeError as it is', () => {
    const own = new SfpipeError('not-found', 'kafka', 'topic x does not exist');
    expect(toKafkaError(own, 'latest messages')).toBe(own);
  });
});
