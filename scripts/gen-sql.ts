/**
 * Writes sql/*.sql from the topic catalog, checks them, or renders one with variables filled
 * in (for Snowsight, which has no client-side variables).
 *
 *   npx tsx scripts/gen-sql.ts                      regenerate sql/*.sql
 *   npx tsx scripts/gen-sql.ts --check              exit 1 if a committed file differs
 *   npx tsx scripts/gen-sql.ts --render sql/01-setup.sql -D public_key=@keys/rsa_key.pub [-D name=value …] [--out FILE]
 *
 * --render starts from the defaults (KAFKA_DB, PUBLIC, …); `-D name=@file` reads the value
 * from a file. The rendered script goes to stdout or --out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSfpipeError } from '../src/domain/errors.js';
import { generateSqlScripts, SQL_SCRIPT_NAMES } from '../src/sql/generate.js';
import { defaultVariableValues, SQL_VARIABLES, substituteVariables } from '../src/sql/variables.js';

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'sql');

function usage(message: string): never {
  process.stderr.write(`gen-sql: ${message}\nusage: gen-sql.ts [--check | --render FILE [-D name=value]... [--out FILE]]\n`);
  process.exit(2);
}

function generate(check: boolean): number {
  const scripts = generateSqlScripts();
  let stale = 0;
  for (const name of SQL_SCRIPT_NAMES) {
    const path = join(SQL_DIR, name);
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === scripts[name]) continue;
    if (check) {
      process.stderr.write(`sql/${name} is out of date: run npx tsx scripts/gen-sql.ts\n`);
      stale++;
    } else {
      writeFileSync(path, scripts[name]);
      process.stdout.write(`wrote sql/${name}\n`);
    }
  }
  return stale === 0 ? 0 : 1;
}

function render(args: string[]): number {
  const file = args.shift();
  if (!file) usage('--render needs a file');
  const values: Record<string, string> = defaultVariableValues();
  let out: string | undefined;
  while (args.length > 0) {
    const flag = args.shift();
    if (flag === '--out') out = args.shift() ?? usage('--out needs a file');
    else if (flag === '-D') {
      const def = args.shift() ?? usage('-D needs name=value');
      const eq = def.indexOf('=');
      if (eq < 1) usage("-D expects name=value"); // the text is not echoed: it might be a key
      const name = def.slice(0, eq);
      if (!SQL_VARIABLES.some((v) => v.name === name)) usage(`-D ${name}: unknown variable (known: ${SQL_VARIABLES.map((v) => v.name).join(', ')})`);
      const raw = def.slice(eq + 1);
      values[name] = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : raw;
    } else usage(`unknown argument ${flag}`);
  }
  const rendered = substituteVariables(readFileSync(file, 'utf8'), values, basename(file));
  if (out) writeFileSync(out, rendered);
  else process.stdout.write(rendered);
  return 0;
}

try {
  const args = process.argv.slice(2);
  if (args[0] === '--render') process.exitCode = render(args.slice(1));
  else if (args.length === 0 || (args.length === 1 && args[0] === '--check')) process.exitCode = generate(args[0] === '--check');
  else usage(`unknown arguments ${args.join(' ')}`);
} catch (err) {
  // SfpipeError messages never carry a secret; anything else is shown by its message only.
  process.stderr.write(`gen-sql: ${isSfpipeError(err) ? err.describe() : String(err instanceof Error ? err.message : err)}\n`);
  process.exitCode = 1;
}
