import type { SnowflakeError } from 'snowflake-sdk';
import { describe, expect, it } from 'vitest';
import { statementError } from './sqlRunner.js';

const err = (code: string | undefined, message: string, sqlState?: string) => Object.assign(new Error(message), { code, sqlState }) as unknown as SnowflakeError;

describe('statementError', () => {
  it('leads with the Snowflake error code, keeps the first line of the message, names file:line', () => {
    const e = statementError(err('001003', "001003 (42000): SQL compilation error:\nsyntax error line 1 at position 7 unexpected 'TABLEE'.", '42000'), 'sql/03.sql:12');
    expect(e.message).toBe('Snowflake error 001003 (42000): SQL compilation error:');
    expect(e.location).toBe('sql/03.sql:12');
    expect(e.kind).toBe('invalid-input');
    expect(e.source).toBe('snowflake');
  });

  it('an object that does not exist is not-found; an unknown failure is a bad response', () => {
    expect(statementError(err('002003', "SQL compilation error: Database 'X' does not exist or not authorized."), 'a.sql:1').kind).toBe('not-found');
    expect(statementError(err(undefined, 'socket hang up'), 'a.sql:1')).toMatchObject({ kind: 'bad-response', message: 'Snowflake error: socket hang up' });
  });
});
