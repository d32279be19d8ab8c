/**
 * The one error type of sfpipe. Every failure that crosses a layer boundary is an
 * SfpipeError with a kind (what went wrong) and the source it came from, so panes can
 * show "connect: timeout after 3s" and the CLI can pick an exit code without parsing text.
 */
export type ErrorKind =
  | 'unreachable'
  | 'auth'
  | 'timeout'
  | 'conflict'
  | 'not-found'
  | 'invalid-input'
  | 'bad-response'
  | 'unsupported'
  | 'internal';

export type ErrorSource =
  | 'docker'
  | 'kafka'
  | 'connect'
  | 'snowflake'
  | 'schema-registry'
  | 'config'
  | 'sql'
  | 'keys'
  | 'compose'
  | 'harness'
  | 'cli'
  | 'ssh';

export interface SfpipeErrorOptions {
  /** What the user can do about it, one sentence. */
  hint?: string;
  /** File, line or JSON path the error is about. */
  location?: string;
  cause?: unknown;
}

export class SfpipeError extends Error {
  override readonly name = 'SfpipeError';
  readonly kind: ErrorKind;
  readonly source: ErrorSource;
  readonly hint: string | undefined;
  readonly location: string | undefined;

  constructor(kind: ErrorKind, source: ErrorSource, message: string, options: SfpipeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.source = source;
    this.hint = options.hint;
    this.location = options.location;
  }

  /** One line for a status bar or a CLI error: "source: [location: ]message (hint)". */
  describe(): string {
    const where = this.location ? `${this.location}: ` : '';
    const hint = this.hint ? ` — ${this.hint}` : '';
    return `${this.source}: ${where}${this.message}${hint}`;
  }
}

export function isSfpipeError(value: unknown): value is SfpipeError {
  return value instanceof SfpipeError;
}

/** Wrap anything thrown into an SfpipeError, keeping an existing one as it is. */
export function toSfpipeError(err: unknown, source: ErrorSource, fallbackKind: ErrorKind = 'internal'): SfpipeError {
  if (err instanceof SfpipeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SfpipeError(classifyNodeError(err) ?? fallbackKind, source, message, { cause: err });
}

function classifyNodeError(err: unknown): ErrorKind | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ENOENT', 'EAI_AGAIN'].includes(code)) return 'unreachable';
  if (['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR'].includes(code)) return 'timeout';
  if (code === 'EACCES' || code === 'EPERM') return 'auth';
  return undefined;
}
