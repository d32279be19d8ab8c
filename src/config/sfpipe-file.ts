/**
 * Reading one sfpipe.toml: TOML syntax errors with their line, unknown sections and keys
 * with the closest known key, and every value checked by its field's parser.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { SfpipeError } from '../domain/errors.js';
import { FIELDS, SECTIONS } from './schema.js';
import { closest } from './suggest.js';
import { invalid, typeName } from './validate.js';

/** A value from some source, already parsed, with the place it came from. */
export interface Setting {
  value: unknown;
  where: string;
  /** directory relative paths resolve against */
  baseDir: string;
}

const FIELD_KEYS = FIELDS.map((f) => f.key);

export function readSfpipeFile(file: string): Map<string, Setting> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
    throw new SfpipeError('invalid-input', 'config', `config file ${why}`, { location: file, hint: 'check the --config path', cause: err });
  }
  return parseSfpipeToml(text, file);
}

export function parseSfpipeToml(text: string, file: string): Map<string, Setting> {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      // Only the first line: the rest of smol-toml's message quotes the file, which is not ours to print.
      const first = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new SfpipeError('invalid-input', 'config', `TOML syntax error: ${first}`, {
        location: `${file}:${err.line}:${err.column}`,
        hint: 'fix the syntax at that line',
        cause: err,
      });
    }
    throw new SfpipeError('invalid-input', 'config', 'could not parse the file as TOML', { location: file, cause: err });
  }
  const out = new Map<string, Setting>();
  const baseDir = dirname(file);
  for (const [section, body] of Object.entries(doc)) {
    if (!SECTIONS.includes(section)) throw unknownKey(file, printableKey(section), body);
    if (body === null || typeof body !== 'object' || Array.isArray(body) || body instanceof Date) {
      throw invalid(`${file}:${section}`, `expected a table [${section}], got ${typeName(body)}`);
    }
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const path = `${section}.${printableKey(key)}`;
      const field = FIELDS.find((f) => f.key === path);
      if (!field) throw unknownKey(file, path, value);
      const where = `${file}:${path}`;
      out.set(path, { value: field.parse(value, where), where, baseDir });
    }
  }
  return out;
}

const SECRETISH = /pass|secret|token|private|key$/i;

function unknownKey(file: string, path: string, value: unknown): SfpipeError {
  const isTable = value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
  const suggestion = suggestKey(path, isTable);
  const leaf = path.split('.').pop()!;
  const hint = SECRETISH.test(leaf)
    ? 'secrets do not belong in sfpipe.toml: put them in ~/.snowflake/connections.toml (mode 0600) or environment variables'
    : `known keys: ${FIELD_KEYS.join(', ')}`;
  const what = !path.includes('.') && isTable ? 'section' : 'key';
  return invalid(`${file}:${path}`, `unknown ${what} "${path}"${suggestion ? ` — did you mean "${suggestion}"?` : ''}`, hint);
}

function suggestKey(path: string, isTable: boolean): string | undefined {
  if (!path.includes('.') && isTable) return closest(path, SECTIONS);
  const whole = closest(path, FIELD_KEYS);
  if (whole) return whole;
  // A known key in the wrong place or with a typo in its section: match on the last part.
  const leaf = path.split('.').pop()!;
  const leafMatch = closest(leaf, FIELD_KEYS.map((k) => k.slice(k.indexOf('.') + 1)));
  return leafMatch === undefined ? undefined : FIELD_KEYS.find((k) => k.endsWith(`.${leafMatch}`));
}

/** TOML keys may be quoted strings with anything in them; keep messages on one readable line. */
export function printableKey(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being replaced
  const clean = key.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}…` : clean;
}
