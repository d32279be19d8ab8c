/**
 * A Snowflake script as a step, run statement by statement on the admin session.
 * Setup: done when the journal says this exact text ran to the end here and every object it
 * creates exists. Cleanup: done when none of the objects it drops exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SfpipeError } from '../../domain/errors.js';
import { keyPairPaths } from '../../keypair/files.js';
import { journalScope, type AdminSql, type RunbookEnv } from '../env.js';
import { describeObject, probeObjects, scriptObjects, type ScriptObject } from '../sql/objects.js';
import { prepareScript, readScript, statementSummary, type PreparedScript } from '../sql/script.js';
import type { RunbookStep, StepCheck, StepContext } from '../types.js';

export type ScriptMode = 'setup' | 'cleanup';

export function sqlScriptStep(env: RunbookEnv, admin: AdminSql, path: string, mode: ScriptMode): RunbookStep {
  const name = basename(path);
  const key = () => `${journalScope(env)}${name}`;
  const publicKeyFile = keyPairPaths(env.inputs.keysDir).publicKey;

  /** The script with the real public key, if it needs one (undefined: the key is not there yet). */
  const prepared = async (): Promise<PreparedScript | undefined> => {
    const usesKey = (await readScript(path)).includes('&{public_key}');
    if (usesKey && !existsSync(publicKeyFile)) return undefined;
    return prepareScript(path, env.inputs.sqlVariables, usesKey ? readFileSync(publicKeyFile, 'utf8') : '');
  };

  const objectsOf = (script: PreparedScript, verb: ScriptObject['verb']) => scriptObjects(script.statements, script.file).filter((o) => o.verb === verb);

  const check = async (ctx: StepContext): Promise<StepCheck> => {
    const script = await prepared();
    if (!script) return { done: false, detail: `no public key at ${publicKeyFile} yet` };
    const opts = { timeoutMs: env.callTimeoutMs, signal: ctx.signal };
    if (mode === 'cleanup') {
      const dropped = objectsOf(script, 'drop');
      const probe = await probeObjects(admin.get(), dropped, opts);
      if (probe.present.length === 0 && probe.unknown.length === 0) return { done: true, detail: `none of the ${dropped.length} object(s) it drops exists` };
      return { done: false, detail: probe.present.length ? `still there: ${probe.present.map(describeObject).join(', ')}` : `cannot confirm: ${probe.unknown[0]!.error}` };
    }
    const entry = env.journal.get(key());
    if (!entry) return { done: false, detail: 'not run to the end here yet' };
    if (entry.hash !== script.hash) return { done: false, detail: 'the script (or the public key) changed since it last ran' };
    const created = objectsOf(script, 'create');
    const probe = await probeObjects(admin.get(), created, opts);
    if (probe.absent.length > 0) return { done: false, detail: `ran before, but missing now: ${probe.absent.map(describeObject).join(', ')}` };
    if (probe.unknown.length > 0) return { done: false, detail: `ran before; cannot confirm its objects (${probe.unknown[0]!.error})` };
    return { done: true, detail: `ran to the end on ${new Date(entry.at).toISOString()}; its ${created.length} object(s) exist` };
  };

  return {
    id: `sql-${name.replace(/\.sql$/i, '')}`,
    title: `Snowflake script ${name}${env.config.snowflake.admin ? ` (connection ${env.config.snowflake.admin.name})` : ''}`,
    check,
    async plan() {
      const script = await prepareScript(path, env.inputs.sqlVariables, undefined);
      return script.statements.map((s) => ({ kind: 'sql' as const, text: s.text, location: `${script.file}:${s.line}` }));
    },
    async apply(ctx) {
      const script = await prepared();
      if (!script) throw new SfpipeError('not-found', 'keys', `${name} needs the public key and there is none at ${publicKeyFile}`, { hint: 'run `sfpipe keys` (or the key step of setup) first' });
      const runner = admin.get();
      const total = script.statements.length;
      for (const [i, statement] of script.statements.entries()) {
        ctx.progress(`${i + 1}/${total} ${script.file}:${statement.line} ${statementSummary(statement)}`, i / total);
        await runner.run(statement.text, { file: script.file, line: statement.line }, { signal: ctx.signal });
      }
      if (mode === 'setup') env.journal.set(key(), { hash: script.hash, at: env.clock.now() });
      else env.journal.forget(journalScope(env));
      return `ran ${total} statement(s)`;
    },
  };
}
