import { describe, expect, it } from 'vitest';
import { errorCode, isSessionGone, snowflakeErrorKind, toSnowflakeError } from './errors.js';

describe('snowflake errors', () => {
  const driverError = (code: string | number, message: string, extra: object = {}) => Object.assign(new Error(message), { code, ...extra });

  it('map by code', () => {
    expect(snowflakeErrorKind(driverError('390144', 'JWT token is invalid.'))).toBe('auth');
    expect(snowflakeErrorKind(driverError(401001, 'connect ECONNREFUSED 127.0.0.1:1', { cause: { code: 'ECONNREFUSED' } }))).toBe('unreachable');
    expect(snowflakeErrorKind(driverError('000630', 'Statement reached its statement or warehouse timeout of 2 second(s) and was canceled.'))).toBe('timeout');
    expect(snowflakeErrorKind(driverError('002003', "SQL compilation error: Schema 'KAFKA_DB.X' does not exist or not authorized."))).toBe('not-found');
    expect(snowflakeErrorKind(driverError('000606', 'No active warehouse selected in the current session.'))).toBe('invalid-input');
    expect(snowflakeErrorKind(driverError('000002', 'Unsupported feature in the local Snowflake stand-in'))).toBe('unsupported');
    expect(errorCode({ data: { errorCode: '390111' } })).toBe('390111');
  });

  it('know when the session is gone', () => {
    expect(isSessionGone(driverError('390111', 'Session no longer exists.'))).toBe(true);
    expect(isSessionGone(driverError(407002, 'Unable to perform operation using terminated connection.'))).toBe(true);
    expect(isSessionGone(driverError('002003', 'does not exist'))).toBe(false);
  });

  it('name the key file on a wrong passphrase, never the key or the passphrase', () => {
    const err = toSnowflakeError(driverError('ERR_OSSL_BAD_DECRYPT', 'error:1C800064:Provider routines::bad decrypt'), 'log in to Snowflake', { keyFile: '/keys/rsa_key.p8', secrets: ['hunter2-pass'] });
    expect(err).toMatchObject({ kind: 'auth', source: 'snowflake', message: 'log in to Snowflake: could not decrypt /keys/rsa_key.p8: wrong passphrase', location: '/keys/rsa_key.p8' });
    expect(err.cause).toBeUndefined();
  });

  it('scrub secrets and PEM blocks from messages, one line', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const err = toSnowflakeError(driverError('390100', `Incorrect username or password was specified: hunter2-pass\n${pem}`), 'log in to Snowflake', { secrets: ['hunter2-pass'] });
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('hunter2-pass');
    expect(err.message).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/^log in to Snowflake: 390100: Incorrect username or password was specified: \*\*\*/);
  });
});
