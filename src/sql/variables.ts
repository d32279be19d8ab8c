/**
 * The scripts in sql/ name configurable things with SnowSQL variables, `&{name}`, so they run
 * by hand in SnowSQL (`-o variable_substitution=true -D name=value`) and sfpipe fills the same
 * variables itself. sfpipe's substitution is stricter than SnowSQL's plain text replacement:
 * identifiers are validated and quoted, the public key is checked and escaped, and an
 * unknown or unset variable is an error at file:line. Nothing is run before all are good.
 */
import { createPublicKey } from 'node:crypto';
import { SfpipeError } from '../domain/errors.js';
import { DEFAULT_PIPELINE_OBJECTS, TOPICS, type TopicName } from '../domain/topics.js';
import { canonicalIdentifier } from './identifiers.js';
import { scanSql, type SqlSegment } from './splitter.js';

export type SqlVariableKind = 'identifier' | 'public-key';

export interface SqlVariable {
  name: string;
  kind: SqlVariableKind;
  description: string;
  /** value used when configuration says nothing; the public key has none */
  defaultValue: string | undefined;
}

/** Name of the variable holding the raw table of a topic, e.g. pageviews_table. */
export const tableVariable = (topic: TopicName): string => `${topic}_table`;

/** How a variable is written in the scripts. */
export const variableRef = (name: string): string => `&{${name}}`;

export const SQL_VARIABLES: readonly SqlVariable[] = [
  { name: 'database', kind: 'identifier', description: 'database of the pipeline', defaultValue: DEFAULT_PIPELINE_OBJECTS.database },
  { name: 'schema', kind: 'identifier', description: 'schema of the raw and extracted tables', defaultValue: DEFAULT_PIPELINE_OBJECTS.schema },
  { name: 'role', kind: 'identifier', description: 'role of the connector and the pipeline objects', defaultValue: DEFAULT_PIPELINE_OBJECTS.role },
  { name: 'user', kind: 'identifier', description: 'key-pair user of the connector and sfpipe', defaultValue: DEFAULT_PIPELINE_OBJECTS.user },
  { name: 'admin_warehouse', kind: 'identifier', description: 'warehouse for ad-hoc and monitoring queries', defaultValue: DEFAULT_PIPELINE_OBJECTS.adminWarehouse },
  { name: 'task_warehouse', kind: 'identifier', description: 'warehouse the extraction tasks run on', defaultValue: DEFAULT_PIPELINE_OBJECTS.taskWarehouse },
  { name: 'public_key', kind: 'public-key', description: "the user's RSA public key: keys/rsa_key.pub (PEM) or its base64 body", defaultValue: undefined },
  ...TOPICS.map((t) => ({
    name: tableVariable(t.topic),
    kind: 'identifier' as const,
    description: `raw table the sink connector writes topic ${t.topic} into`,
    defaultValue: t.rawTable,
  })),
];

const BY_NAME = new Map(SQL_VARIABLES.map((v) => [v.name, v]));

/** Every variable that has a default, at its default. */
export function defaultVariableValues(): Record<string, string> {
  return Object.fromEntries(SQL_VARIABLES.flatMap((v) => (v.defaultValue === undefined ? [] : [[v.name, v.defaultValue]])));
}

/**
 * The base64 body Snowflake's RSA_PUBLIC_KEY wants, from a PEM public key or the body itself.
 * Errors never echo the value: a private key pasted by mistake must not end up in a log.
 */
export function normalizePublicKey(value: string, field = 'public_key'): string {
  if (/PRIVATE KEY/.test(value)) {
    throw new SfpipeError('invalid-input', 'keys', `${field} holds a private key; Snowflake needs the public key`, {
      location: field,
      hint: 'use keys/rsa_key.pub (sfpipe keys writes it), never rsa_key.p8',
    });
  }
  const body = value.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const bad = (why: string) =>
    new SfpipeError('invalid-input', 'keys', `${field} is not an RSA public key (${why})`, {
      location: field,
      hint: 'give the content of keys/rsa_key.pub, PEM or just its base64 body (sfpipe keys prints it)',
    });
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) throw bad('not base64');
  let type: string | undefined;
  try {
    type = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType;
  } catch {
    throw bad('not a DER SubjectPublicKeyInfo');
  }
  if (type !== 'rsa') throw bad(`a ${type ?? 'unknown'} key`);
  return body;
}

export interface VariableUse {
  name: string;
  /** 1-based line of the reference */
  line: number;
  /** offset of the `&` */
  offset: number;
  end: number;
  /** where the reference stands: in code (also inside $$ bodies) or inside a '…' string */
  context: 'code' | 'string';
}

const REF = /&\{([A-Za-z_][A-Za-z0-9_]*)\}/y;
const IDENT_CHAR = /[A-Za-z0-9_$"]/;

function lineAt(text: string, seg: SqlSegment, offset: number): number {
  let line = seg.line;
  for (let i = seg.start; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Every `&{name}` reference in a script; a stray `&`, or a reference in a comment or quoted identifier, is an error. */
export function findVariables(text: string, file: string): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const seg of scanSql(text, file)) {
    const isComment = seg.kind === 'line-comment' || seg.kind === 'block-comment';
    for (let i = text.indexOf('&', seg.start); i !== -1 && i < seg.end; i = text.indexOf('&', i + 1)) {
      const at = () => `${file}:${lineAt(text, seg, i)}`;
      REF.lastIndex = i;
      const m = REF.exec(text);
      if (isComment) {
        if (m) throw new SfpipeError('invalid-input', 'sql', `variable ${m[0]} in a comment`, { location: at(), hint: 'variables are filled in code and strings only; reword the comment' });
        continue; // a plain & in a comment is prose
      }
      if (!m || m.index + m[0].length > seg.end) {
        throw new SfpipeError('invalid-input', 'sql', "stray '&': the scripts write variables as &{name}", { location: at(), hint: 'use &{name}, or avoid & (SnowSQL would take it for a variable)' });
      }
      if (seg.kind === 'quoted-identifier') {
        throw new SfpipeError('invalid-input', 'sql', `variable ${m[0]} inside a quoted identifier`, { location: at(), hint: 'write the variable unquoted; sfpipe quotes identifiers itself' });
      }
      uses.push({ name: m[1] as string, line: lineAt(text, seg, i), offset: i, end: i + m[0].length, context: seg.kind === 'string' ? 'string' : 'code' });
    }
  }
  return uses;
}

function identifierValue(text: string, use: VariableUse, value: string): string {
  const before = text[use.offset - 1];
  const after = text[use.end];
  if ((before !== undefined && IDENT_CHAR.test(before)) || (after !== undefined && IDENT_CHAR.test(after))) {
    throw new SfpipeError('invalid-input', 'sql', `variable &{${use.name}} is glued to other name characters`, {
      hint: 'an identifier variable must stand for a whole name part; join parts with .',
    });
  }
  return `"${canonicalIdentifier(value, `variable ${use.name}`, 'sql')}"`;
}

function publicKeyValue(use: VariableUse, value: string): string {
  if (use.context !== 'string') {
    throw new SfpipeError('invalid-input', 'sql', `variable &{${use.name}} must be inside '…'`, { hint: `write '&{${use.name}}'` });
  }
  // base64 has no quote or backslash; escape anyway so the literal cannot be ended early.
  return normalizePublicKey(value, `variable ${use.name}`).replace(/\\/g, '\\\\').replace(/'/g, "''");
}

/**
 * The script with every `&{name}` replaced: identifiers as "CANONICAL" (validated), the
 * public key as its escaped base64 body. Values are looked up by variable name; missing
 * ones are not defaulted here (callers merge defaultVariableValues() with config first).
 */
export function substituteVariables(text: string, values: Readonly<Record<string, string | undefined>>, file: string): string {
  let out = '';
  let last = 0;
  for (const use of findVariables(text, file)) {
    const where = `${file}:${use.line}`;
    const spec = BY_NAME.get(use.name);
    if (!spec) {
      throw new SfpipeError('invalid-input', 'sql', `unknown variable &{${use.name}}`, {
        location: where,
        hint: `known variables: ${SQL_VARIABLES.map((v) => v.name).join(', ')}`,
      });
    }
    const value = values[use.name];
    if (value === undefined) {
      throw new SfpipeError('invalid-input', 'sql', `variable &{${use.name}} (${spec.description}) has no value`, {
        location: where,
        hint: `give it a value (SnowSQL: -D ${use.name}=…)`,
      });
    }
    let replacement: string;
    try {
      replacement = spec.kind === 'identifier' ? identifierValue(text, use, value) : publicKeyValue(use, value);
    } catch (err) {
      // Say where in the script the bad value would have gone, keeping what was wrong with it.
      if (!(err instanceof SfpipeError)) throw err;
      throw new SfpipeError(err.kind, 'sql', err.message, { location: where, hint: err.hint, cause: err });
    }
    out += text.slice(last, use.offset) + replacement;
    last = use.end;
  }
  return out + text.slice(last);
}
