/**
 * A SQL script ready to run: read, variables substituted (validated, at file:line), split
 * into statements that keep their line, and hashed so the journal can tell a changed script.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { displayPath } from '../../connectors/load.js';
import { SfpipeError } from '../../domain/errors.js';
import { splitStatements, type SqlStatement } from '../../sql/splitter.js';
import { substituteVariables } from '../../sql/variables.js';

export interface PreparedScript {
  /** as shown in messages, e.g. sql/01-setup.sql */
  file: string;
  /** e.g. 01-setup.sql */
  name: string;
  statements: SqlStatement[];
  /** sha256 of the substituted text */
  hash: string;
}

/** Shown in plans instead of the key itself (it may not exist before the key step runs). */
export const PUBLIC_KEY_IN_PLAN = '<public key of keys/rsa_key.pub>';

export async function readScript(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new SfpipeError(code === 'ENOENT' ? 'not-found' : 'invalid-input', 'sql', code === 'ENOENT' ? 'no such SQL script' : `cannot read the SQL script (${String(code)})`, {
      location: displayPath(path),
      hint: 'check the path of the script',
    });
  }
}

/**
 * Substitute and split. With `publicKey: undefined` the `&{public_key}` variable is shown as a
 * placeholder (plans), otherwise it must be a valid RSA public key.
 */
export async function prepareScript(path: string, values: Readonly<Record<string, string>>, publicKey: string | undefined): Promise<PreparedScript> {
  const file = displayPath(path);
  let text = await readScript(path);
  const vars: Record<string, string> = { ...values };
  if (publicKey === undefined) text = text.split("'&{public_key}'").join(`'${PUBLIC_KEY_IN_PLAN}'`);
  else vars.public_key = publicKey;
  const substituted = substituteVariables(text, vars, file);
  const statements = splitStatements(substituted, file);
  if (statements.length === 0) throw new SfpipeError('invalid-input', 'sql', 'the script has no statement', { location: file });
  return { file, name: basename(path), statements, hash: createHash('sha256').update(substituted).digest('hex') };
}

/** First line of a statement, shortened, for progress lines. */
export function statementSummary(statement: SqlStatement, max = 72): string {
  const first = statement.text.split('\n')[0]!.trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
