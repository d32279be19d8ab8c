/**
 * snowflake-sdk errors → SfpipeError. The kind comes from Snowflake's error code (server codes
 * like 390144, driver codes like 401001) or the OpenSSL/socket code underneath. Messages are
 * scrubbed of PEM blocks and known secrets, and no driver error is attached as the cause: its
 * fields can hold request details (tokens) that must not travel further.
 */
import { redactText } from '../../config/redact.js';
import type { Secret } from '../../config/secret.js';
import { SfpipeError, toSfpipeError, type ErrorKind } from '../../domain/errors.js';

interface DriverErrorLike {
  code?: unknown;
  message?: unknown;
  sqlState?: unknown;
  data?: { errorCode?: unknown; sqlState?: unknown } | null;
  cause?: unknown;
}

export function errorCode(err: unknown): string {
  const e = (err ?? {}) as DriverErrorLike;
  const code = e.code ?? e.data?.errorCode;
  return code === undefined || code === null ? '' : String(code);
}

/**
 * The session is gone (expired, logged out, connection destroyed): log in again and retry
 * once. 390111 session gone, 390104 session token invalid, 390114 master token expired;
 * 390112 (session token expired) the driver renews by itself, but not when the renewal fails;
 * 407001/407002 and 405503 are the driver refusing to use a connection that is no longer up;
 * 401004 is the driver's "Invalid token" for an HTTP 401 (the server no longer knows the
 * session, e.g. after a restart).
 */
const SESSION_GONE = new Set(['390111', '390104', '390112', '390114', '407001', '407002', '405503', '401004']);

export function isSessionGone(err: unknown): boolean {
  return SESSION_GONE.has(errorCode(err));
}

/**
 * A statement this server cannot run at all: the local stand-in (fakesnow) answers SHOW
 * STREAMS / SHOW TASKS / TASK_HISTORY with 000002 (unsupported), 001003 (its parser's syntax
 * error) or 009999 (not implemented). Real Snowflake runs them.
 */
export function isUnsupportedStatement(err: unknown): boolean {
  return ['000002', '001003', '009999'].includes(errorCode(err));
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

export function snowflakeErrorKind(err: unknown): ErrorKind {
  if (err instanceof SfpipeError) return err.kind;
  const code = errorCode(err);
  const causeCode = errorCode((err as DriverErrorLike | null)?.cause);
  const message = String((err as DriverErrorLike | null)?.message ?? '');
  if (code === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt/i.test(message)) return 'auth';
  if (code.startsWith('ERR_OSSL') || code === 'ERR_MISSING_PASSPHRASE' || ['404026', '404027', '404028'].includes(code)) return 'auth';
  if (/^3901\d\d$/.test(code) || ['390303', '390318', '003001'].includes(code)) return 'auth';
  if (code === '401001' || code === '402001' || NETWORK_CODES.has(code) || NETWORK_CODES.has(causeCode)) return 'unreachable';
  if (code === '000630' || code === '000604' || code === 'ETIMEDOUT' || causeCode === 'ETIMEDOUT') return 'timeout';
  if (code === '002003' || code === '002043') return 'not-found';
  if (code === '000606') return 'invalid-input';
  if (isUnsupportedStatement(err)) return 'unsupported';
  if (code === '401002' || code === '401003' || code === '402002') return 'bad-response';
  if (isSessionGone(err)) return 'unreachable';
  return toSfpipeError(err, 'snowflake').kind;
}

export interface ErrorContext {
  /** the private key file, named (never shown) when it cannot be decrypted */
  keyFile?: string;
  /** values to scrub from messages */
  secrets?: Iterable<string | Secret | undefined>;
}

const HINTS: Partial<Record<ErrorKind, string>> = {
  unreachable: 'is the Snowflake account (or the local stand-in) reachable? check the connection host and your network',
  timeout: 'Snowflake did not answer in time; sfpipe keeps the last good data and retries',
  'not-found': 'has the setup run? `sfpipe setup` creates the database, schema and pipeline objects',
};

/** An SfpipeError for a failed Snowflake call; `what` says what was asked ("SHOW TABLES"). */
export function toSnowflakeError(err: unknown, what: string, context: ErrorContext = {}): SfpipeError {
  if (err instanceof SfpipeError) return err;
  const code = errorCode(err);
  const kind = snowflakeErrorKind(err);
  const keyFile = context.keyFile ?? 'the private key';
  const rawMessage = String((err as DriverErrorLike | null)?.message ?? err);
  if (code === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt/i.test(rawMessage)) {
    return new SfpipeError('auth', 'snowflake', `${what}: could not decrypt ${keyFile}: wrong passphrase`, {
      location: context.keyFile,
      hint: 'check PRIVATE_KEY_PASSPHRASE / private_key_passphrase',
    });
  }
  if (kind === 'auth' && (code.startsWith('ERR_OSSL') || code === 'ERR_MISSING_PASSPHRASE' || code.startsWith('4040'))) {
    return new SfpipeError('auth', 'snowflake', `${what}: could not read ${keyFile} (${code})`, {
      location: context.keyFile,
      hint: 'it must be a PEM PKCS#8 RSA key; set PRIVATE_KEY_PASSPHRASE if it is encrypted',
    });
  }
  const text = redactText(rawMessage, context.secrets ?? []).replace(/\s+/g, ' ').trim();
  const withCode = code && !text.startsWith(code) ? `${code}: ${text}` : text;
  return new SfpipeError(kind, 'snowflake', `${what}: ${withCode}`, {
    hint: kind === 'auth' ? 'Snowflake refused the login: check the user, its RSA_PUBLIC_KEY and the key file' : HINTS[kind],
  });
}
