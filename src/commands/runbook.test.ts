import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../audit/auditLog.js';
import { parseArgs } from '../cli/args.js';
import { findCommand, type CliIO } from '../cli/commands.js';
import { systemClock } from '../domain/clock.js';
import { connectorJson, fakeRunbookEnv, type FakeEnv } from '../runbooks/fakeEnv.js';
import { fakeConnector } from '../services/fakes.js';
import { runRunbookCommand } from './runbook.js';

function pipeline(): FakeEnv {
  const env = fakeRunbookEnv({
    connectors: [
      { file: 'src.json', text: connectorJson('src', 'org.apache.kafka.connect.file.FileStreamSourceConnector') },
      { file: 'sink.json', text: connectorJson('sink', 'org.apache.kafka.connect.file.FileStreamSinkConnector') },
    ],
  });
  env.services.connect.connectors = [fakeConnector('src'), fakeConnector('sink', { type: 'sink' })];
  env.services.kafka.addTopic('t').produce('t', 10);
  env.services.kafka.commitAll('t');
  return env;
}

async function cli(env: FakeEnv, command: string, argv: string[], opts: { readOnly?: boolean; answers?: string[] } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: Object.assign(new PassThrough(), { write: (s: string) => ((stdout += s), true) }) as unknown as CliIO['stdout'],
    stderr: Object.assign(new PassThrough(), { write: (s: string) => ((stderr += s), true) }) as unknown as CliIO['stderr'],
    stdin: new PassThrough(),
    env: {},
    cwd: '/',
  };
  const args = parseArgs(findCommand(command)!, argv);
  const audit = new MemoryAuditLog(systemClock);
  const config = opts.readOnly ? { ...env.config, console: { ...env.config.console, readOnly: true } } : env.config;
  const code = await runRunbookCommand({ ...args, flags: { ...args.flags, _command: command } }, io, {
    loadConfig: () => config,
    buildServices: () => env.services,
    clock: systemClock,
    buildEnv: () => env,
    audit,
    who: 'local:tester',
    ...(opts.answers ? { ask: () => Promise.resolve(opts.answers!.shift() ?? '') } : {}),
  }).catch((err: unknown) => {
    stderr += err instanceof Error ? err.message : String(err);
    return -1;
  });
  return { code, stdout, stderr, audit };
}

const stateOf = (env: FakeEnv, name: string) => env.services.connect.connectors.find((c) => c.name === name)?.state;

describe('sfpipe pause|resume|action', () => {
  it('pause --yes: prints the plan, each step and the closing account; pauses the source only', async () => {
    const env = pipeline();
    const run = await cli(env, 'pause', ['--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('plan:\n  pause-sources:\n    [rest] PUT http://127.0.0.1:8083/connectors/<name>/pause');
    expect(run.stdout).toContain('[1/2] pause the source (datagen) connectors');
    expect(run.stdout).toMatch(/pause: completed in [\d.]+s\n {2}done: pause-sources\n {2}already done \(skipped\): drain-sink\n$/);
    expect(stateOf(env, 'src')).toBe('PAUSED');
    expect(stateOf(env, 'sink')).toBe('RUNNING');
    expect(run.audit.records.map((r) => [r.what, r.outcome])).toEqual([['pause', 'started'], ['pause', 'ok']]);
  });

  it('--json: one JSON object per line, the last one the result', async () => {
    const run = await cli(pipeline(), 'pause', ['--yes', '--json']);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; result?: { outcome: string } });
    expect(lines[0]!.type).toBe('start');
    expect(lines.at(-1)).toMatchObject({ type: 'end', result: { outcome: 'completed' } });
  });

  it('without --yes and without a terminal: not run, nothing changed, exit 2', async () => {
    const env = pipeline();
    const run = await cli(env, 'pause', []);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('needs confirmation and there is no terminal to ask on');
    expect(stateOf(env, 'src')).toBe('RUNNING');
  });

  it('asked on a terminal: "n" changes nothing, "y" runs', async () => {
    const env = pipeline();
    expect((await cli(env, 'pause', [], { answers: ['n'] })).code).toBe(2);
    expect(stateOf(env, 'src')).toBe('RUNNING');
    expect((await cli(env, 'pause', [], { answers: ['y'] })).code).toBe(0);
    expect(stateOf(env, 'src')).toBe('PAUSED');
  });

  it('--read-only: refused with the reason, audited, nothing called', async () => {
    const env = pipeline();
    for (const [command, argv] of [['pause', ['--yes']], ['resume', []], ['action', ['connector.restart', 'src', '--yes']]] as const) {
      const run = await cli(env, command, [...argv], { readOnly: true });
      expect(run.code).toBe(-1);
      expect(run.stderr).toContain('refused — read-only mode');
      expect(run.audit.records.map((r) => r.outcome)).toEqual(['refused']);
    }
    expect(env.services.connect.control.count()).toBe(0);
  });

  it('action: lists the operations; runs one on one object; --dry-run only says what it would do', async () => {
    const env = pipeline();
    expect((await cli(env, 'action', [])).stdout).toContain('connector.restart-failed');
    const dry = await cli(env, 'action', ['connector.pause', 'src', '--dry-run']);
    expect(dry.stdout).toBe('DRY RUN, nothing was changed:\n  [rest] PUT http://127.0.0.1:8083/connectors/src/pause\n');
    expect(stateOf(env, 'src')).toBe('RUNNING');
    const run = await cli(env, 'action', ['connector.pause', 'src', '--yes']);
    expect(run.stdout).toBe('paused connector src\n');
    expect(stateOf(env, 'src')).toBe('PAUSED');
    expect((await cli(env, 'action', ['connector.resume', 'src', '--json'])).stdout).toBe('{"type":"result","ok":true,"message":"resumed connector src"}\n');
    expect((await cli(env, 'action', ['setup'])).stderr).toContain('setup is a runbook');
  });
});
