/**
 * kafkajs errors → SfpipeError. kafkajs wraps the real failure (KafkaJSNumberOfRetriesExceeded
 * around a connection error, an aggregate around per-topic errors), so the cause is unwrapped
 * first; the kind then comes from the error's name, its protocol error type, or the socket code.
 */
import { SfpipeError, toSfpipeError, type ErrorKind } from '../../domain/errors.js';

interface KafkaJsLike {
  name?: unknown;
  message?: unknown;
  type?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const SOCKET_UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Protocol error types (kafkajs `type`) that mean the cluster is moving: try again later. */
const TRANSIENT_TYPES = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'GROUP_LOAD_IN_PROGRESS',
  'BROKER_NOT_AVAILABLE',
  'REPLICA_NOT_AVAILABLE',
  'NOT_CONTROLLER',
]);

/** The innermost error kafkajs wrapped (retries exceeded → the last attempt's error). */
export function rootCause(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 5; depth++) {
    const e = current as KafkaJsLike | null;
    if (!e || typeof e !== 'object') break;
    if (e.name === 'KafkaJSNumberOfRetriesExceeded' || (e.name === 'KafkaJSNonRetriableError' && e.cause)) {
      if (!e.cause) break;
      current = e.cause;
      continue;
    }
    if (e.name === 'KafkaJSAggregateError' && Array.isArray(e.errors) && e.errors.length > 0) {
      current = e.errors[0];
      continue;
    }
    break;
  }
  return current;
}

/** The protocol error type of a (wrapped) kafkajs error, e.g. UNKNOWN_TOPIC_OR_PARTITION. */
export function protocolErrorType(err: unknown): string | undefined {
  const type = (rootCause(err) as KafkaJsLike | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

export function kafkaErrorKind(err: unknown): ErrorKind {
  const e = (rootCause(err) ?? {}) as KafkaJsLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const type = typeof e.type === 'string' ? e.type : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (name === 'KafkaJSRequestTimeoutError' || name === 'KafkaJSTimeout' || name === 'KafkaJSLockTimeout') return 'timeout';
  if (name === 'KafkaJSConnectionError' || name === 'KafkaJSConnectionClosedError') {
    if (/connection timeout/i.test(message) || code === 'ETIMEDOUT') return 'timeout';
    return 'unreachable';
  }
  if (SOCKET_UNREACHABLE.has(code)) return 'unreachable';
  if (name === 'KafkaJSBrokerNotFound' || name === 'KafkaJSNoBrokerAvailableError' || name === 'KafkaJSGroupCoordinatorNotFound') return 'unreachable';
  if (name === 'KafkaJSSASLAuthenticationError' || type === 'SASL_AUTHENTICATION_FAILED' || type.endsWith('_AUTHORIZATION_FAILED')) return 'auth';
  if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'GROUP_ID_NOT_FOUND') return 'not-found';
  if (type === 'TOPIC_ALREADY_EXISTS') return 'conflict';
  if (type.startsWith('INVALID_') || type === 'POLICY_VIOLATION') return 'invalid-input';
  if (TRANSIENT_TYPES.has(type)) return 'unreachable';
  if (name === 'KafkaJSNotImplemented' || name === 'KafkaJSServerDoesNotSupportApiKey' || type === 'UNSUPPORTED_VERSION') return 'unsupported';
  if (name === 'KafkaJSPartialMessageError' || name === 'KafkaJSUnsupportedMagicByteInMessageSet' || name === 'KafkaJSInvalidVarIntError' || name === 'KafkaJSInvalidLongError') {
    return 'bad-response';
  }
  if (name === 'KafkaJSProtocolError') return 'bad-response';
  return toSfpipeError(e, 'kafka').kind;
}

/** An SfpipeError for a failed Kafka call; `what` says what was asked ("snapshot"). */
export function toKafkaError(err: unknown, what: string): SfpipeError {
  if (err instanceof SfpipeError) return err;
  const root = rootCause(err) as KafkaJsLike | null;
  const detail = typeof root?.message === 'string' && root.message ? root.message : String(err);
  const kind = kafkaErrorKind(err);
  return new SfpipeError(kind, 'kafka', `${what}: ${detail}`, { hint: HINTS[kind], cause: err });
}

const HINTS: Partial<Record<ErrorKind, string>> = {
  unreachable: 'is the broker running? check kafka.brokers / SFPIPE_KAFKA_BROKERS',
  timeout: 'the broker is slow or not answering; sfpipe keeps the last good data and retries',
  auth: 'the broker refused sfpipe: check its ACLs or SASL settings',
};
