/**
 * Issue 9's bar for connector rendering, as a property: on any template and any values, a
 * refusal is an invalid-input SfpipeError that says where — the connector file and the JSON
 * path of the setting — and never quotes the secret values it was given.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { configPath } from './jsonPath.js';
import type { ConnectorSpec } from './load.js';
import { KNOWN_PLACEHOLDERS } from './placeholders.js';
import { renderConnector } from './render.js';

const FILE = 'connectors/gen.json';
const knownNames = KNOWN_PLACEHOLDERS.map((p) => p.name);
const anyName = fc.oneof(fc.constantFrom(...knownNames), fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/));
const template = fc
  .array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('$', '{', '}', '${', '$$'), anyName.map((n) => '${' + n + '}')), { maxLength: 6 })
  .map((parts) => parts.join(''));
const configKey = fc.oneof(fc.constantFrom('snowflake.private.key', 'snowflake.user.name', 'topics', 'db.password', 'x'), fc.string({ minLength: 1, maxLength: 10 }));
const spec = fc.dictionary(configKey, template, { maxKeys: 6 }).map((config): ConnectorSpec => ({ file: FILE, name: 'gen', connectorClass: 'C', kind: 'other', config }));
/** Values that are secrets: long enough to be told apart from template text. */
const secret = fc.string({ minLength: 10, maxLength: 24 }).filter((s) => s.trim().length >= 10 && !s.includes('$') && !s.includes('{'));
const values = fc.record({
  plain: fc.dictionary(fc.oneof(fc.constantFrom(...knownNames), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('${snowflake.role.name}', '{x}', '')), { maxKeys: 8 }),
  passphrase: fc.option(secret, { nil: undefined }),
});

describe('renderConnector refusals (any input)', () => {
  it('are invalid-input errors located at the file and the setting, never quoting a secret value', () => {
    let refusals = 0;
    fc.assert(
      fc.property(spec, values, (s, v) => {
        const vals: Record<string, string> = { ...v.plain };
        if (v.passphrase !== undefined) vals['snowflake.private.key.passphrase'] = v.passphrase;
        fc.pre(v.passphrase === undefined || !JSON.stringify(s.config).includes(v.passphrase));
        try {
          renderConnector(s, vals);
          return;
        } catch (err) {
          refusals++;
          expect(err).toBeInstanceOf(SfpipeError);
          const e = err as SfpipeError;
          expect(e.kind).toBe('invalid-input');
          const paths = Object.keys(s.config).map((k) => `${FILE}: ${configPath(k)}`);
          expect(paths).toContain(e.location);
          expect(e.describe()).not.toContain('\n');
          if (v.passphrase !== undefined) expect(e.describe()).not.toContain(v.passphrase);
        }
      }),
      { numRuns: 2000 },
    );
    // worth something only if many runs were refused
    expect(refusals).toBeGreaterThan(300);
  });
});
