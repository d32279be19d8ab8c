/**
 * The messages between the console's thread and the Snowflake driver thread (driverThread.ts ↔
 * driverWorker.ts). Rows and options cross as structured clones; a driver error crosses as the
 * fields errors.ts reads (code, sqlState, data.errorCode, cause.code, message), since a cloned
 * Error keeps only its message.
 */
import type { ConnectionOptions } from 'snowflake-sdk';
import type { Row } from './rows.js';

export type ToWorker =
  | { op: 'connect'; id: number; conn: number; options: ConnectionOptions }
  | { op: 'execute'; id: number; conn: number; sqlText: string; parameters: Record<string, unknown> }
  /** stop the statement sent as request `target` */
  | { op: 'cancel'; target: number }
  | { op: 'destroy'; id: number; conn: number };

/** The answer to request `id`; `up` is the connection's state after it. */
export type FromWorker = { id: number; up: boolean } & ({ ok: true; rows?: Row[] } | { ok: false; error: WireError });

export interface WireError {
  name: string;
  message: string;
  code?: string | number;
  sqlState?: string;
  data?: { errorCode?: string | number; sqlState?: string };
  cause?: { code?: string | number };
}

const scalar = (v: unknown): string | number | undefined => (typeof v === 'string' || typeof v === 'number' ? v : undefined);

export function toWireError(err: unknown): WireError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const data = typeof e.data === 'object' && e.data !== null ? (e.data as Record<string, unknown>) : undefined;
  const cause = typeof e.cause === 'object' && e.cause !== null ? (e.cause as Record<string, unknown>) : undefined;
  const out: WireError = {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: err instanceof Error ? err.message : typeof e.message === 'string' ? e.message : String(err),
  };
  const code = scalar(e.code);
  if (code !== undefined) out.code = code;
  if (typeof e.sqlState === 'string') out.sqlState = e.sqlState;
  if (data) {
    const errorCode = scalar(data.errorCode);
    out.data = { ...(errorCode !== undefined ? { errorCode } : {}), ...(typeof data.sqlState === 'string' ? { sqlState: data.sqlState } : {}) };
  }
  const causeCode = scalar(cause?.code);
  if (causeCode !== undefined) out.cause = { code: causeCode };
  return out;
}

/** An Error carrying the same fields, for errors.ts to classify as it would the driver's own. */
export function fromWireError(wire: WireError): Error {
  const err = new Error(wire.message) as Error & Omit<WireError, 'name' | 'message'>;
  err.name = wire.name;
  if (wire.code !== undefined) err.code = wire.code;
  if (wire.sqlState !== undefined) err.sqlState = wire.sqlState;
  if (wire.data) err.data = wire.data;
  if (wire.cause) err.cause = wire.cause;
  return err;
}

/** A Buffer (BINARY column) arrives as a plain Uint8Array: make it a Buffer again. */
export function restoreRows(rows: Row[]): Row[] {
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return rows;
}
