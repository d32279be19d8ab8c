import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KNOWN_PLACEHOLDERS, isConfigProviderReference, isWholePlaceholder, placeholdersIn } from './placeholders.js';
import { REDACTED, isSecretKey, redactConfig } from './secrets.js';

describe('redactConfig', () => {
  it('hides every secret-looking key of a config read back from Kafka Connect', () => {
    const config = {
      'snowflake.private.key': 'MIIFHDBOBgkq',
      'snowflake.private.key.passphrase': 'pp',
      'connection.password': 'pw',
      'sasl.jaas.config.Secret': 's',
      'oauth.token.endpoint': 't',
      'snowflake.user.name': 'KAFKA_DEMO',
      topics: 'orders',
    };
    expect(redactConfig(config)).toEqual({
      'snowflake.private.key': REDACTED,
      'snowflake.private.key.passphrase': REDACTED,
      'connection.password': REDACTED,
      'sasl.jaas.config.Secret': REDACTED,
      'oauth.token.endpoint': REDACTED,
      'snowflake.user.name': 'KAFKA_DEMO',
      topics: 'orders',
    });
    expect(config['snowflake.private.key']).toBe('MIIFHDBOBgkq'); // a copy, not in place
  });

  it('also hides keys named by the caller', () => {
    expect(redactConfig({ note: 'x', other: 'y' }, ['note'])).toEqual({ note: REDACTED, other: 'y' });
  });

  it('knows which keys are secret', () => {
    expect(['snowflake.private.key', 'PASSWORD', 'api.token'].every(isSecretKey)).toBe(true);
    expect(['snowflake.url.name', 'topics', 'key.converter'].some(isSecretKey)).toBe(false);
  });
});

describe('placeholder syntax', () => {
  it('finds ${name} but leaves config-provider references alone', () => {
    expect(placeholdersIn('https://${snowflake.url.name}/x/${a_b-c.d}')).toEqual(['snowflake.url.name', 'a_b-c.d']);
    expect(placeholdersIn('${file:/etc/secrets.properties:key} $ {x} ${}')).toEqual([]);
    expect(isWholePlaceholder('${snowflake.private.key}')).toBe(true);
    expect(isWholePlaceholder(' ${snowflake.private.key}')).toBe(false);
    expect(isConfigProviderReference('${file:/etc/s.properties:key}')).toBe(true);
    expect(isConfigProviderReference('${snowflake.private.key}')).toBe(false);
  });

  it('connectors/README.md documents every placeholder sfpipe fills', () => {
    const readme = readFileSync(new URL('../../connectors/README.md', import.meta.url), 'utf8');
    for (const p of KNOWN_PLACEHOLDERS) expect(readme).toContain('`${' + p.name + '}`');
  });
});
