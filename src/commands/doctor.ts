/**
 * `sfpipe doctor [--json]`: check every prerequisite and print one line each with what to
 * do. Exit 1 when anything the pipeline needs is missing. Every line goes through the
 * secret filter, so a driver message that quoted a credential could not leak it.
 */
import { homedir } from 'node:os';
import type { CommandRun } from '../cli/commands.js';
import { loadConfig, type LoadConfigOptions } from '../config/load.js';
import { redactText } from '../config/redact.js';
import type { SfpipeConfig } from '../config/schema.js';
import type { Secret } from '../config/secret.js';
import { SfpipeError, toSfpipeError } from '../domain/errors.js';
import { checkConfig, checkConnect, checkDocker, checkNode, checkPorts, checkSnowflake, type CheckResult } from './doctor/checks.js';
import { formatHuman, formatJsonLines } from './doctor/format.js';
import { realProbes, type Probes } from './doctor/probes.js';

export interface DoctorDeps {
  probes: Probes;
  homedir: string;
}

export const run: CommandRun = async (args, io) => runDoctor(args.flags, io, { probes: realProbes, homedir: io.env.HOME || homedir() });

export async function runDoctor(flags: Record<string, unknown>, io: Parameters<CommandRun>[1], deps: DoctorDeps): Promise<number> {
  const { config, loaded, snowflakeLoaded } = loadForDoctor({ cwd: io.cwd, env: io.env, flags, homedir: deps.homedir });
  const [docker, ports, snowflake, connect] = await Promise.all([
    checkDocker(config, deps.probes),
    checkPorts(config, deps.probes),
    snowflakeLoaded
      ? checkSnowflake(config, { probes: deps.probes })
      : Promise.resolve<CheckResult[]>([{ id: 'snowflake', status: 'fail', detail: 'not checked: the Snowflake configuration did not load (see config)', fix: 'fix the config error first' }]),
    checkConnect(config, deps.probes),
  ]);
  const results = [checkNode(deps.probes), checkConfig(loaded), ...docker, ...ports, ...snowflake, ...connect];
  const secrets = secretsOf(config, io.env);
  const text = flags.json === true ? formatJsonLines(results) : formatHuman(results);
  io.stdout.write(redactText(text, secrets));
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

interface DoctorConfig {
  config: SfpipeConfig;
  loaded: { config: SfpipeConfig } | { error: SfpipeError };
  snowflakeLoaded: boolean;
}

/** Load what can be loaded: a broken Snowflake file still lets the other checks run, a broken sfpipe.toml falls back to defaults. */
function loadForDoctor(opts: LoadConfigOptions): DoctorConfig {
  try {
    const config = loadConfig(opts);
    return { config, loaded: { config }, snowflakeLoaded: true };
  } catch (err) {
    const error = err instanceof SfpipeError ? err : toSfpipeError(err, 'config', 'invalid-input');
    let config: SfpipeConfig;
    try {
      config = loadConfig({ ...opts, skipConnections: true });
    } catch {
      config = loadConfig({ cwd: opts.cwd, env: {}, flags: {}, homedir: opts.homedir, skipConnections: true, ignoreFiles: true });
    }
    return { config, loaded: { error }, snowflakeLoaded: false };
  }
}

const SECRET_VARS = ['PRIVATE_KEY_PASSPHRASE', 'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE', 'SNOWFLAKE_PASSWORD'];

function secretsOf(config: SfpipeConfig, env: NodeJS.ProcessEnv): Array<string | Secret | undefined> {
  const { pipeline, admin } = config.snowflake;
  const fromEnv = Object.entries(env)
    .filter(([k]) => SECRET_VARS.includes(k) || (/^SNOWFLAKE_CONNECTIONS_/.test(k) && /(PASSWORD|PASSPHRASE|PWD)$/.test(k)))
    .map(([, v]) => v);
  return [pipeline?.password, pipeline?.privateKeyPassphrase, admin?.password, admin?.privateKeyPassphrase, ...fromEnv];
}
