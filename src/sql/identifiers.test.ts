import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { canonicalIdentifier, qualifiedName, quoteIdentifier, quoteString } from './identifiers.js';
import { splitStatements } from './splitter.js';

function errorOf(fn: () => unknown): SfpipeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected an SfpipeError');
}

describe('identifiers from config', () => {
  it('accepts plain names in any case and quotes their upper-case form', () => {
    expect(quoteIdentifier('kafka_db', 'snowflake.database')).toBe('"KAFKA_DB"');
    expect(quoteIdentifier('_x$1', 'snowflake.role')).toBe('"_X$1"');
    expect(canonicalIdentifier('Public', 'snowflake.schema')).toBe('PUBLIC');
    expect(qualifiedName([['kafka_db', 'snowflake.database'], ['public', 'snowflake.schema'], ['PAGEVIEWS', 'table']])).toBe('"KAFKA_DB"."PUBLIC"."PAGEVIEWS"');
    // a reserved word is fine once quoted
    expect(quoteIdentifier('table', 'snowflake.database')).toBe('"TABLE"');
  });

  it.each([
    ['', 'is empty'],
    ['1abc', '"1abc"'],
    ['KAFKA DB', '"KAFKA DB"'],
    ['x"; DROP DATABASE PROD; --', 'x\\"; DROP DATABASE'],
    ['a.b', '"a.b"'],
    ['näme', '"näme"'],
    ['A'.repeat(256), '…'],
  ])('rejects %j naming the field', (value, shown) => {
    const err = errorOf(() => quoteIdentifier(value, 'snowflake.warehouse'));
    expect(err.kind).toBe('invalid-input');
    expect(err.source).toBe('config');
    expect(err.location).toBe('snowflake.warehouse');
    expect(err.message).toContain('snowflake.warehouse');
    expect(err.message).toContain(shown);
    expect(err.hint).toContain('snowflake.warehouse');
  });

  it('rejects non-strings', () => {
    expect(errorOf(() => quoteIdentifier(42, 'snowflake.user')).message).toContain('is a number');
    expect(errorOf(() => quoteIdentifier(undefined, 'snowflake.user')).message).toContain('is missing');
  });

  it('property: whatever the input, the result is one quoted plain identifier or an SfpipeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,20}$/)), (value) => {
        let quoted: string;
        try {
          quoted = quoteIdentifier(value, 'f');
        } catch (err) {
          expect(err).toBeInstanceOf(SfpipeError);
          return;
        }
        expect(quoted).toMatch(/^"[A-Z_][A-Z0-9_$]*"$/);
        expect(quoted).toBe(`"${value.toUpperCase()}"`);
        // used in a statement, it can neither end the statement nor open a comment or string
        const sql = `CREATE DATABASE IF NOT EXISTS ${quoted} COMMENT = 'x'`;
        expect(splitStatements(sql).map((s) => s.text)).toEqual([sql]);
      }),
      { numRuns: 500 },
    );
  });

  it('property: quoteString round-trips any text as one string literal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const literal = quoteString(value);
        const sql = `SELECT ${literal}; SELECT 2`;
        const got = splitStatements(sql).map((s) => s.text);
        expect(got).toEqual([`SELECT ${literal}`, 'SELECT 2']);
        // reading the literal back the way Snowflake does gives the value
        const inner = literal.slice(1, -1).replace(/''|\\(.)/gs, (m: string, c: string | undefined) => (m === "''" ? "'" : (c as string)));
        expect(inner).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});
