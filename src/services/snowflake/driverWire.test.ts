import { describe, expect, it } from 'vitest';
import { fromWireError, restoreRows, toWireError } from './driverWire.js';
import { isSessionGone, isUnsupportedStatement, snowflakeErrorKind, toSnowflakeError } from './errors.js';

/** An error shaped like snowflake-sdk's: code, sqlState and data on the Error itself. */
function driverError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

/** What the console's thread gets back for a driver error raised on the driver thread. */
const crossed = (err: unknown) => fromWireError(structuredClone(toWireError(err)));

describe('driver errors across the thread boundary', () => {
  it('keep what errors.ts classifies by: codes, sqlState, data.errorCode, the cause’s code', () => {
    const gone = driverError('Session no longer exists.', { name: 'OperationFailedError', code: '390111', sqlState: '08001', data: { errorCode: '390111', sqlState: '08001', token: 'secret-token' } });
    const refused = driverError('Network error. Could not reach Snowflake.', { code: 401001, cause: { code: 'ECONNREFUSED', address: '127.0.0.1' } });
    const unsupported = driverError('not implemented', { data: { errorCode: '009999' } });
    const badKey = driverError('error:1C800064:Provider routines::bad decrypt', { code: 'ERR_OSSL_BAD_DECRYPT' });

    expect(isSessionGone(crossed(gone))).toBe(true);
    expect(snowflakeErrorKind(crossed(refused))).toBe('unreachable');
    expect(isUnsupportedStatement(crossed(unsupported))).toBe(true);
    expect(toSnowflakeError(crossed(badKey), 'log in', { keyFile: '/k.p8' })).toMatchObject({ kind: 'auth', message: 'log in: could not decrypt /k.p8: wrong passphrase' });
    for (const err of [gone, refused, unsupported, badKey]) {
      expect(toSnowflakeError(crossed(err), 'SHOW TABLES')).toEqual(toSnowflakeError(err, 'SHOW TABLES'));
    }
    // nothing but those fields crosses (the driver's data can hold request details such as tokens)
    expect(JSON.stringify(toWireError(gone))).not.toContain('secret-token');
    expect(crossed(gone)).toMatchObject({ name: 'OperationFailedError', message: 'Session no longer exists.', code: '390111', sqlState: '08001', data: { errorCode: '390111', sqlState: '08001' } });
  });

  it('turn anything thrown into a message', () => {
    expect(crossed('just text')).toMatchObject({ name: 'Error', message: 'just text' });
    expect(crossed(undefined).message).toBe('undefined');
    expect(crossed({ message: 'plain object', code: 7, data: null })).toMatchObject({ message: 'plain object', code: 7 });
  });
});

describe('rows across the thread boundary', () => {
  it('timestamps stay Dates and BINARY cells become Buffers again', () => {
    const at = new Date(Date.UTC(2026, 0, 15, 12));
    const rows = restoreRows(structuredClone([{ name: 'ORDERS', rows: 25, created_on: at, key: Buffer.from('k1'), note: null }]));
    expect(rows[0]!.created_on).toEqual(at);
    expect(rows[0]!.created_on).toBeInstanceOf(Date);
    expect(Buffer.isBuffer(rows[0]!.key)).toBe(true);
    expect(String(rows[0]!.key)).toBe('k1');
    expect(rows[0]).toMatchObject({ name: 'ORDERS', rows: 25, note: null });
  });
});
