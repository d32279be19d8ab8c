/**
 * Names that come from configuration (database, schema, role, user, warehouses, tables) go
 * into SQL only through here: checked against Snowflake's unquoted-identifier grammar and
 * then double-quoted in their canonical upper-case form. `kafka_db` and `KAFKA_DB` mean the
 * same object, exactly as when typed unquoted, and no crafted name can end a statement.
 */
import { SfpipeError, type ErrorSource } from '../domain/errors.js';

/** Snowflake's rule for unquoted identifiers: a letter or _, then letters, digits, _ or $; at most 255. */
const UNQUOTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;

/** A value shown in an error: short and printable, whatever was configured. */
function shown(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  const clipped = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return JSON.stringify(clipped);
}

/**
 * The canonical (upper-case) form of an identifier taken from config, or an invalid-input
 * error naming the field. `field` is what the user would look for, e.g. "snowflake.database".
 */
export function canonicalIdentifier(value: unknown, field: string, source: ErrorSource = 'config'): string {
  if (typeof value !== 'string' || !UNQUOTED_IDENTIFIER.test(value)) {
    const what =
      typeof value === 'string' ? (value === '' ? 'is empty' : `is ${shown(value)}`) : value === undefined ? 'is missing' : `is a ${typeof value}, not a string`;
    throw new SfpipeError('invalid-input', source, `${field} must be a Snowflake name (a letter or _, then letters, digits, _ or $; at most 255), but ${what}`, {
      location: field,
      hint: `set ${field} to a plain name such as KAFKA_DB`,
    });
  }
  return value.toUpperCase();
}

/** The identifier, validated and double-quoted: `kafka_db` → `"KAFKA_DB"`. */
export function quoteIdentifier(value: unknown, field: string, source: ErrorSource = 'config'): string {
  return `"${canonicalIdentifier(value, field, source)}"`;
}

/** A dotted name of validated parts: qualifiedName([['KAFKA_DB','snowflake.database'], …]) → "KAFKA_DB"."PUBLIC"."T". */
export function qualifiedName(parts: ReadonlyArray<readonly [value: unknown, field: string]>, source: ErrorSource = 'config'): string {
  return parts.map(([value, field]) => quoteIdentifier(value, field, source)).join('.');
}

/** A single-quoted SQL string literal: quotes doubled, backslashes escaped (Snowflake reads \ as an escape). */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
