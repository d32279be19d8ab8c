// Bad input (issue 9): whatever the text, values, variables or flags, config loading ends in a
// typed config or one SfpipeError that names where the problem is — never another exception.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { loadConfig } from './load.js';
import { FIELDS, SECTIONS } from './schema.js';
import { parseSfpipeToml } from './sfpipe-file.js';

let root: string;
let cwd: string;
let home: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sfpipe-prop-'));
  cwd = join(root, 'p');
  home = join(root, 'h');
  mkdirSync(cwd);
  mkdirSync(join(home, '.snowflake'), { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILE = '/virtual/sfpipe.toml';

/** Runs fn; returns 'ok' or the SfpipeError; anything else fails the property. */
function outcome(fn: () => unknown): 'ok' | SfpipeError {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (!(err instanceof SfpipeError)) throw new Error(`not an SfpipeError: ${String(err)}`, { cause: err });
    return err;
  }
}

const escape = (s: string) => s.replace(/[$.*+?^()[\]{}|\\/]/g, '\\$&');

/** The error names `prefix…`, or (for a syntax error in the generated text) the file's line and column. */
function expectLocated(result: 'ok' | SfpipeError, prefix: string): void {
  if (result === 'ok') return;
  expect(result.kind).toBe('invalid-input');
  expect(result.source).toBe('config');
  const file = prefix.startsWith(FILE) ? `|^${escape(FILE)}:\\d+:\\d+$` : '';
  expect(result.location ?? '').toMatch(new RegExp(`^${escape(prefix)}${file}`));
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.describe()).not.toContain('\n');
}

const tomlLeaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.date({ noInvalidDate: true }),
  fc.constantFrom('127.0.0.1:9092', 'http://127.0.0.1:8083', 'unix:///var/run/docker.sock', 'v4', 'v3', 'KAFKA_DB', 'pageviews', '', ' ', '0', 'true'),
);
const tomlValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tomlLeaf, fc.array(tie('value'), { maxLength: 4 }), tie('table')),
  table: fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...FIELDS.map((f) => f.key.split('.')[1]!))), tie('value'), { maxKeys: 4 }),
})).value;

/** Documents shaped like sfpipe.toml: known and unknown sections, known and unknown keys, any values. */
const sfpipeDoc = fc.dictionary(
  fc.oneof(fc.constantFrom(...SECTIONS), fc.string({ maxLength: 10 })),
  fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS.map((f) => f.key.split('.')[1]!)), fc.string({ maxLength: 10 })), tomlValue, { maxKeys: 5 }),
    tomlLeaf,
  ),
  { maxKeys: 5 },
);

describe('sfpipe.toml parsing, any input', () => {
  it('any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => expectLocated(outcome(() => parseSfpipeToml(text, FILE)), FILE)), { numRuns: 500 });
  });

  it('text built from TOML-ish fragments', () => {
    const fragment = fc.constantFrom('[kafka]', '[connect]', '[[x]]', 'brokers = ', 'url = ', '"', "'", '=', '[', ']', '\n', '#', '1', 'true', '"""', '{', '}', ',', '.', 'a.b = 1', '\\u00', 'x');
    fc.assert(fc.property(fc.array(fragment, { maxLength: 30 }), (parts) => expectLocated(outcome(() => parseSfpipeToml(parts.join(''), FILE)), FILE)), { numRuns: 500 });
  });

  it('any well-formed document with any keys and values', () => {
    fc.assert(
      fc.property(sfpipeDoc, (doc) => {
        let text: string;
        try {
          text = stringify(doc);
        } catch {
          return; // not representable as TOML (e.g. mixed arrays in old TOML): nothing to test
        }
        expectLocated(outcome(() => parseSfpipeToml(text, FILE)), `${FILE}:`);
      }),
      { numRuns: 500 },
    );
  });

  it('every known key with any value: accepted values come back typed', () => {
    const field = fc.constantFrom(...FIELDS);
    fc.assert(
      fc.property(field, tomlValue, (f, value) => {
        const [section, key] = f.key.split('.') as [string, string];
        let text: string;
        try {
          text = stringify({ [section]: { [key]: value } });
        } catch {
          return;
        }
        const r = outcome(() => parseSfpipeToml(text, FILE));
        expectLocated(r, `${FILE}:${f.key}`);
        if (r === 'ok') expect(parseSfpipeToml(text, FILE).get(f.key)?.where).toBe(`${FILE}:${f.key}`);
      }),
      { numRuns: 800 },
    );
  });
});

describe('loadConfig, any environment and flags', () => {
  const envNames = FIELDS.flatMap((f) => (f.env ? [f.env] : []));
  const flagNames = FIELDS.flatMap((f) => (f.flag ? [f.flag] : []));

  it('any SFPIPE_* / DOCKER_HOST values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...envNames), fc.string({ maxLength: 60 }), (name, value) => {
        expectLocated(outcome(() => loadConfig({ cwd, env: { [name]: value }, flags: {}, homedir: home })), `$${name}`);
      }),
      { numRuns: 400 },
    );
  });

  it('any flag values, of any type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...flagNames), fc.oneof(fc.string({ maxLength: 40 }), fc.double(), fc.boolean()), (name, value) => {
        expectLocated(outcome(() => loadConfig({ cwd, env: {}, flags: { [name]: value }, homedir: home })), `--${name}`);
      }),
      { numRuns: 400 },
    );
  });

  it('any connections.toml text', () => {
    const file = join(home, '.snowflake', 'connections.toml');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.dictionary(fc.constantFrom('account', 'user', 'port', 'protocol', 'host', 'private_key_file', 'password', 'authenticator'), tomlLeaf, { maxKeys: 5 }), { maxKeys: 3 }).map((d) => {
        try {
          return stringify(d);
        } catch {
          return '';
        }
      })), (text) => {
        writeFileSync(file, text);
        chmodSync(file, 0o600);
        const r = outcome(() => loadConfig({ cwd, env: {}, flags: {}, homedir: home }));
        if (r !== 'ok') {
          expect(r.kind).toBe('invalid-input');
          expect(r.location ?? '').toMatch(/connections\.toml|^connection /);
        }
      }),
      { numRuns: 300 },
    );
    rmSync(file);
  });
});
