import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSecretKey, pemBody, redact, redactText } from './redact.js';
import { Secret } from './secret.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const body = pemBody(privateKey)!;

describe('isSecretKey', () => {
  it('knows secret names and leaves paths alone', () => {
    for (const k of ['password', 'private_key_passphrase', 'privateKeyPass', 'privateKey', 'snowflake.private.key', 'snowflake.private.key.passphrase', 'private_key_file_pwd', 'SNOWFLAKE_PASSWORD', 'oauthClientSecret', 'token'])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['private_key_file', 'privateKeyPath', 'private_key_path', 'user', 'account', 'snowflake.user.name', 'snowflake.url.name', 'topics'])
      expect(isSecretKey(k), k).toBe(false);
  });
});

describe('redact', () => {
  it('replaces secret values deep in objects and arrays, and PEM blocks in any string', () => {
    const input = {
      name: 'sink',
      config: { 'snowflake.private.key': body, 'snowflake.private.key.passphrase': 'pp', 'snowflake.user.name': 'KAFKA_DEMO' },
      list: [{ password: 'pw' }, `note: ${privateKey}`],
      secret: new Secret('s'),
      empty: { password: '' },
    };
    const out = redact(input);
    expect(out).toEqual({
      name: 'sink',
      config: { 'snowflake.private.key': '***', 'snowflake.private.key.passphrase': '***', 'snowflake.user.name': 'KAFKA_DEMO' },
      list: [{ password: '***' }, 'note: ***\n'],
      secret: '***',
      empty: { password: '' },
    });
    expect(input.config['snowflake.private.key']).toBe(body); // the original is untouched
    expect(JSON.stringify(out)).not.toContain(body.slice(10, 60));
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { password: 'x' };
    a.self = a;
    expect(redact(a)).toEqual({ password: '***', self: '[circular]' });
  });
});

describe('redactText', () => {
  it('removes known secrets, PEM blocks and the bare base64 key body, whole or line by line', () => {
    const line = privateKey.split('\n')[3]!;
    const text = `pass=hunter2 key=${body} pem=${privateKey} line=${line} json=${JSON.stringify({ p: 'ab"cd' })}`;
    const out = redactText(text, ['hunter2', privateKey, new Secret('ab"cd'), undefined, '']);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain(body);
    expect(out).not.toContain(line);
    expect(out).not.toContain('ab\\"cd');
    expect(out).toContain('pass=***');
  });

  it('leaves values too short to be secrets alone instead of shredding the text', () => {
    expect(redactText('support for apple pie', ['p', 'pp'])).toBe('support for apple pie');
  });
});

describe('Secret', () => {
  it('does not show its value in JSON, strings or inspect', () => {
    const s = new Secret('topsecret');
    expect(JSON.stringify({ s })).toBe('{"s":"***"}');
    expect(`${s}`).toBe('***');
    expect(inspect({ s })).not.toContain('topsecret');
    expect(s.reveal()).toBe('topsecret');
  });
});
