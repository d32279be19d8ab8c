import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { loadConnectorFile } from './load.js';
import type { ConnectorSpec } from './load.js';
import { KNOWN_PLACEHOLDERS, placeholdersIn } from './placeholders.js';
import { REDACTED, connectorConfigPath, privateKeyBody, redactRendered, renderConnector } from './render.js';
import { isSecretKey } from './secrets.js';

const SINK = new URL('../../connectors/snowflake-sink.json', import.meta.url).pathname;

const PEM = ['-----BEGIN ENCRYPTED PRIVATE KEY-----', 'MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG', '9w0BBQwwHAQIc2VjcmV0AgIIADAMBggqhkiG', '-----END ENCRYPTED PRIVATE KEY-----', ''].join('\n');

const values = {
  'snowflake.url.name': 'myorg-myaccount.snowflakecomputing.com:443',
  'snowflake.user.name': 'KAFKA_DEMO',
  'snowflake.private.key': PEM,
  'snowflake.private.key.passphrase': 'correct horse battery staple',
  'snowflake.database.name': 'KAFKA_DB',
  'snowflake.schema.name': 'PUBLIC',
  'snowflake.role.name': 'KAFKA_CONNECTOR_ROLE',
};

function renderError(spec: ConnectorSpec, vals: Record<string, string>): SfpipeError {
  try {
    renderConnector(spec, vals);
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected renderConnector to throw');
}

describe('renderConnector', () => {
  it('fills the sink file and strips the PEM armour from the key', async () => {
    const spec = await loadConnectorFile(SINK);
    const rendered = renderConnector(spec, values);
    expect(rendered.name).toBe('snowflake-sink');
    expect(rendered.config['snowflake.url.name']).toBe(values['snowflake.url.name']);
    expect(rendered.config['snowflake.private.key']).toBe('MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIc2VjcmV0AgIIADAMBggqhkiG');
    expect(rendered.config['snowflake.private.key.passphrase']).toBe(values['snowflake.private.key.passphrase']);
    expect(rendered.config['snowflake.enable.schematization']).toBe('false');
    expect(rendered.secretKeys.sort()).toEqual(['snowflake.private.key', 'snowflake.private.key.passphrase']);
    expect(connectorConfigPath(rendered.name)).toBe('/connectors/snowflake-sink/config');
  });

  it('deploys under another name when asked, and refuses an unusable one', async () => {
    const spec = await loadConnectorFile(SINK);
    expect(renderConnector(spec, values, { name: 'my-sink' }).name).toBe('my-sink');
    const withName: ConnectorSpec = { ...spec, config: { ...spec.config, name: spec.name } };
    expect(renderConnector(withName, values, { name: 'my-sink' }).config.name).toBe('my-sink');
    expect(() => renderConnector(spec, values, { name: 'a/b' })).toThrow(SfpipeError);
  });

  it('drops the passphrase of an unencrypted key instead of sending an empty one', async () => {
    const spec = await loadConnectorFile(SINK);
    const { 'snowflake.private.key.passphrase': _omit, ...rest } = values;
    const rendered = renderConnector(spec, rest);
    expect(Object.keys(rendered.config)).not.toContain('snowflake.private.key.passphrase');
    expect(renderConnector(spec, { ...values, 'snowflake.private.key.passphrase': '' }).config).not.toHaveProperty(['snowflake.private.key.passphrase']);
  });

  it('names the file, key and placeholder of a missing value, and what to set', async () => {
    const spec = await loadConnectorFile(SINK);
    const { 'snowflake.user.name': _omit, ...rest } = values;
    const err = renderError(spec, rest);
    expect(err.kind).toBe('invalid-input');
    expect(err.location).toBe('connectors/snowflake-sink.json: $.config["snowflake.user.name"]');
    expect(err.message).toBe('no value for ${snowflake.user.name}');
    expect(err.hint).toContain('user');
  });

  it('rejects an unknown placeholder in a hand-built spec, and a value that is itself a placeholder', () => {
    const spec: ConnectorSpec = { file: 'x.json', name: 'x', connectorClass: 'C', kind: 'other', config: { a: 'pre-${nope}', 'snowflake.user.name': '${snowflake.user.name}' } };
    expect(renderError(spec, values).message).toBe('unknown placeholder ${nope}');
    const spec2: ConnectorSpec = { ...spec, config: { u: '${snowflake.user.name}' } };
    const err = renderError(spec2, { ...values, 'snowflake.user.name': '${snowflake.role.name}' });
    expect(err.location).toBe('x.json: $.config.u');
    // a value glued to the template must not form a new placeholder either
    const spec3: ConnectorSpec = { ...spec, config: { u: '$${snowflake.user.name}' } };
    expect(renderError(spec3, { ...values, 'snowflake.user.name': '{snowflake.role.name}' }).message).toContain('still contains');
  });

  it('redacts every secret for logs while leaving the rest readable', async () => {
    const spec = await loadConnectorFile(SINK);
    const shown = redactRendered(renderConnector(spec, values));
    expect(shown.config['snowflake.private.key']).toBe(REDACTED);
    expect(shown.config['snowflake.private.key.passphrase']).toBe(REDACTED);
    expect(shown.config['snowflake.user.name']).toBe('KAFKA_DEMO');
    const text = JSON.stringify(shown);
    expect(text).not.toContain('MIIFHDBOBgkq');
    expect(text).not.toContain('battery');
  });

  it('privateKeyBody accepts a key with CRLF line ends and surrounding blank lines', () => {
    expect(privateKeyBody(`\r\n${PEM.replace(/\n/g, '\r\n')}\r\n`)).toBe('MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIc2VjcmV0AgIIADAMBggqhkiG');
  });
});

// ---- properties ---------------------------------------------------------------------------

const knownNames = KNOWN_PLACEHOLDERS.map((p) => p.name);
const anyName = fc.oneof(fc.constantFrom(...knownNames), fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/));
/** Template text: literal pieces (including stray $, {, }) mixed with placeholders. */
const templateOf = (name: fc.Arbitrary<string>) =>
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('$', '{', '}', '${', '$$'), name.map((n) => '${' + n + '}')), { maxLength: 6 }).map((parts) => parts.join(''));
const configKey = fc.oneof(fc.constantFrom('snowflake.private.key', 'snowflake.user.name', 'topics', 'db.password', 'x'), fc.string({ minLength: 1, maxLength: 10 }));
const specOf = (name: fc.Arbitrary<string>) =>
  fc.dictionary(configKey, templateOf(name), { maxKeys: 6 }).map((config): ConnectorSpec => ({ file: 'gen.json', name: 'gen', connectorClass: 'C', kind: 'other', config }));
/** any placeholder names, known or not: exercises every error path */
const specArb = specOf(anyName);
/** known names only: most renders succeed, so redaction is exercised on real output */
const knownSpecArb = specOf(fc.constantFrom(...knownNames));
const valuesArb = fc.dictionary(fc.oneof(fc.constantFrom(...knownNames), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('${snowflake.role.name}', '{x}', '-----BEGIN KEY-----\n\n-----END KEY-----')), { maxKeys: 9 });

describe('renderConnector properties', () => {
  it('throws nothing but SfpipeError, and a success never leaves a placeholder behind', () => {
    fc.assert(
      fc.property(specArb, valuesArb, (spec, vals) => {
        let rendered;
        try {
          rendered = renderConnector(spec, vals);
        } catch (err) {
          return err instanceof SfpipeError;
        }
        return Object.values(rendered.config).every((v) => placeholdersIn(v).length === 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('redacted output never contains a secret value it was given', () => {
    // secrets distinct from anything else in the template, as real secrets are
    const secret = fc.string({ minLength: 8, maxLength: 24 }).filter((s) => !s.includes('${') && s.trim().length >= 8);
    let renderedWithSecrets = 0;
    fc.assert(
      fc.property(knownSpecArb, secret, secret, (spec, key, passphrase) => {
        const templateText = JSON.stringify(spec.config);
        fc.pre(!templateText.includes(key) && !templateText.includes(passphrase) && !templateText.includes(privateKeyBody(key)));
        const vals: Record<string, string> = Object.fromEntries(knownNames.map((n) => [n, `v-${n}`]));
        vals['snowflake.private.key'] = key;
        vals['snowflake.private.key.passphrase'] = passphrase;
        let rendered;
        try {
          rendered = renderConnector(spec, vals);
        } catch (err) {
          return err instanceof SfpipeError;
        }
        if (rendered.secretKeys.length > 0) renderedWithSecrets++;
        const shown = redactRendered(rendered);
        const secrets = [key, passphrase, privateKeyBody(key)].filter((s) => s !== '');
        return Object.entries(shown.config).every(([k, v]) => secrets.every((s) => !v.includes(s)) && (!isSecretKey(k) || v === REDACTED));
      }),
      { numRuns: 2000 },
    );
    // the property is only worth something if many runs really rendered secrets
    expect(renderedWithSecrets).toBeGreaterThan(500);
  });
});
