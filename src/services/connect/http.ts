/**
 * Kafka Connect's HTTP answers → SfpipeError. Connect's own errors are JSON
 * {error_code, message}: the message is kept (with any secret the request carried scrubbed out).
 * Anything else — a proxy's HTML error page, a truncated body — is 'bad-response' with a short
 * excerpt: tags and control characters removed, private keys scrubbed, cut to a line.
 */
import { redactText } from '../../config/redact.js';
import { SfpipeError, type ErrorKind } from '../../domain/errors.js';

const EXCERPT_CHARS = 120;
/** Connect's validation messages list every bad field; long enough for that, not for a novel. */
const MESSAGE_CHARS = 1_000;

export function kindOfStatus(status: number): ErrorKind {
  if (status === 400 || status === 422) return 'invalid-input';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 405 || status === 501) return 'unsupported';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 409) return 'conflict';
  if (status === 502 || status === 503) return 'unreachable';
  if (status === 500) return 'internal';
  return 'bad-response';
}

const HINTS: Partial<Record<ErrorKind, string>> = {
  unreachable: 'is Kafka Connect running? check connect.url / SFPIPE_CONNECT_URL',
  timeout: 'Kafka Connect is slow or not answering; sfpipe keeps the last good data and retries',
  conflict: 'the Connect cluster is rebalancing; try again in a moment',
  'not-found': 'no such connector on this Connect cluster; `sfpipe status` lists the deployed ones',
  unsupported: 'this Connect version does not offer that operation',
  'bad-response': 'is connect.url pointing at a Kafka Connect worker (and not a proxy or another service)?',
};

export function hintFor(kind: ErrorKind): string | undefined {
  return HINTS[kind];
}

/** A short, single-line, printable excerpt of a body: tags, control characters and private keys removed. */
export function excerpt(text: string, secrets: Iterable<string> = [], max = EXCERPT_CHARS): string {
  const plain = redactText(text, secrets)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

/** An error for a non-2xx answer. */
export function httpError(status: number, body: string, what: string, secrets: Iterable<string> = []): SfpipeError {
  const message = connectMessage(body);
  if (message !== undefined) {
    const kind = kindOfStatus(status);
    const text = redactText(message, secrets);
    const cut = text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS - 1)}…` : text;
    return new SfpipeError(kind, 'connect', `${what}: HTTP ${status}: ${cut}`, { hint: hintFor(kind) });
  }
  const shown = excerpt(body, secrets);
  return new SfpipeError('bad-response', 'connect', `${what}: HTTP ${status} with a body that is not Kafka Connect's JSON${shown ? `: "${shown}"` : ' (empty)'}`, {
    hint: hintFor('bad-response'),
  });
}

/** Connect's {error_code, message}, if the body is that. */
export function connectMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    const message = (parsed as { message?: unknown } | null)?.message;
    return typeof message === 'string' && message.trim() ? message.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON of a 2xx body, or 'bad-response' with an excerpt. */
export function parseJsonBody(body: string, status: number, what: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    const shown = excerpt(body);
    throw new SfpipeError('bad-response', 'connect', `${what}: HTTP ${status} but the body is not valid JSON${shown ? `: "${shown}"` : ' (empty)'}`, { hint: hintFor('bad-response') });
  }
}
