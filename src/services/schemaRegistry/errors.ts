/**
 * Schema Registry failures → SfpipeError (source 'schema-registry'). The registry answers
 * errors as {error_code, message} (e.g. 40403 "Schema 7 not found"); fetch fails with a
 * TypeError whose cause carries the socket code, or with a TimeoutError/AbortError.
 */
import { SfpipeError, toSfpipeError, type ErrorKind } from '../../domain/errors.js';

const HINT_UNREACHABLE = 'check that the Schema Registry runs at that address, or set schema_registry.url (SFPIPE_SCHEMA_REGISTRY_URL)';

/** The registry's address without credentials, for messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

export interface RegistryErrorBody {
  errorCode: number | undefined;
  message: string | undefined;
}

/** Reads Confluent's documented error body; anything else yields undefined fields. */
export function parseErrorBody(text: string): RegistryErrorBody {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown } | null;
    return {
      errorCode: typeof body?.error_code === 'number' ? body.error_code : undefined,
      message: typeof body?.message === 'string' ? body.message : undefined,
    };
  } catch {
    return { errorCode: undefined, message: undefined };
  }
}

export function httpStatusKind(status: number): ErrorKind {
  if (status === 404) return 'not-found';
  if (status === 401 || status === 403) return 'auth';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid-input';
  if (status === 408 || status === 504) return 'timeout';
  return 'bad-response';
}

/** An HTTP error answer → SfpipeError naming what was asked and the registry's own words. */
export function registryHttpError(status: number, bodyText: string, what: string): SfpipeError {
  const { errorCode, message } = parseErrorBody(bodyText);
  const said = message ? `${message}${errorCode !== undefined ? ` (error ${errorCode})` : ''}` : `HTTP ${status}`;
  const kind = httpStatusKind(status);
  const hint =
    kind === 'auth' ? 'the registry refused the request; sfpipe sends no credentials to it'
    : kind === 'bad-response' ? 'the registry failed to answer; see its log'
    : undefined;
  return new SfpipeError(kind, 'schema-registry', `${what}: ${said}`, { hint });
}

/** A failed fetch (refused, reset, timed out, cancelled) → SfpipeError. */
export function registryFetchError(err: unknown, what: string, url: string, timeoutMs: number): SfpipeError {
  if (err instanceof SfpipeError) return err;
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') {
    return new SfpipeError('timeout', 'schema-registry', `${what}: no answer from ${displayUrl(url)} within ${timeoutMs} ms`, { hint: 'the registry is slow or hung', cause: err });
  }
  if (name === 'AbortError') return new SfpipeError('timeout', 'schema-registry', `${what}: cancelled`, { cause: err });
  const cause = (err as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const wrapped = toSfpipeError(cause ?? err, 'schema-registry', 'unreachable');
  if (wrapped.kind === 'unreachable') {
    const why = typeof code === 'string' ? ` (${code})` : '';
    return new SfpipeError('unreachable', 'schema-registry', `${what}: the Schema Registry at ${displayUrl(url)} is unreachable${why}`, { hint: HINT_UNREACHABLE, cause: err });
  }
  return new SfpipeError(wrapped.kind, 'schema-registry', `${what}: ${wrapped.message}`, { cause: err });
}
