import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { runCommand } from './exec.js';
import { createComposeRunner, parseInspect } from './runner.js';

const dir = mkdtempSync(join(tmpdir(), 'sfpipe-compose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in executable: prints its arguments and what FAKE_OUT says, exits with FAKE_EXIT. */
function fakeBin(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\necho "args: $*"\nprintf "%b" "$FAKE_OUT"\necho "to stderr" >&2\nexit "${FAKE_EXIT:-0}"\n');
  chmodSync(path, 0o755);
  return path;
}

const env = (extra: Record<string, string>) => ({ PATH: process.env.PATH, ...extra });

describe('runCommand', () => {
  it('streams every line and returns stdout on exit 0', async () => {
    const lines: string[] = [];
    const r = await runCommand([fakeBin('ok'), 'up', '-d'], { env: env({ FAKE_OUT: 'one\\ntwo\\n' }), timeoutMs: 10_000, onLine: (l) => lines.push(l) });
    expect(r.stdout).toBe('args: up -d\none\ntwo');
    expect(lines).toEqual(expect.arrayContaining(['args: up -d', 'one', 'two', 'to stderr']));
  });

  it('a failure names the command, its exit code and its last output lines', async () => {
    const bin = fakeBin('fails');
    const err = (await runCommand([bin, 'up', '-d'], { env: env({ FAKE_EXIT: '3', FAKE_OUT: 'pulling\\nERROR: manifest unknown\\n' }), timeoutMs: 10_000 }).catch((e: unknown) => e)) as SfpipeError;
    expect(err).toBeInstanceOf(SfpipeError);
    expect(err.source).toBe('compose');
    expect(err.message).toContain(`\`${bin} up -d\` exited with code 3`);
    expect(err.message).toContain('    ERROR: manifest unknown');
  });

  it('a Docker engine that does not answer is called that, with DOCKER_HOST in the hint', async () => {
    const out = 'docker.errors.DockerException: Error while fetching server API version: connection refused\\n';
    const err = (await runCommand([fakeBin('nodaemon'), 'ps'], { env: env({ FAKE_EXIT: '1', FAKE_OUT: out, DOCKER_HOST: 'tcp://127.0.0.1:1' }), timeoutMs: 10_000 }).catch((e: unknown) => e)) as SfpipeError;
    expect(err.kind).toBe('unreachable');
    expect(err.hint).toContain('tcp://127.0.0.1:1');
  });

  it('a missing program is "not installed", a slow one times out', async () => {
    const missing = (await runCommand([join(dir, 'no-such-compose')], { env: env({}), timeoutMs: 10_000 }).catch((e: unknown) => e)) as SfpipeError;
    expect(missing.kind).toBe('unsupported');
    expect(missing.message).toContain('is not installed');
    const slow = (await runCommand(['sleep', '5'], { env: env({}), timeoutMs: 100 }).catch((e: unknown) => e)) as SfpipeError;
    expect(slow.kind).toBe('timeout');
  });
});

describe('createComposeRunner', () => {
  it('always passes the file and project, and the engine as DOCKER_HOST', async () => {
    const compose = fakeBin('docker-compose');
    const runner = createComposeRunner({ target: { file: '/p/docker-compose.yml', project: 'demo', env: { EXTRA: 'x' } }, dockerHost: 'unix:///tmp/d.sock', env: env({}), composeCommand: [compose] });
    expect(runner.commandLine(['down', '--volumes'])).toBe(`${compose} -f /p/docker-compose.yml -p demo down --volumes`);
    const lines: string[] = [];
    await runner.down({ volumes: true }, { onLine: (l) => lines.push(l) });
    expect(lines[0]).toBe('args: -f /p/docker-compose.yml -p demo down --remove-orphans --volumes');
  });
});

describe('parseInspect', () => {
  it('reads state, health, service and exit code', () => {
    const json = JSON.stringify([
      { Id: 'a1', Name: '/demo_web_1', State: { Status: 'running', ExitCode: 0, Health: { Status: 'starting' } }, Config: { Labels: { 'com.docker.compose.service': 'web' } } },
      { Id: 'b2', Name: '/demo_job_1', State: { Status: 'exited', ExitCode: 2 }, Config: { Labels: null } },
    ]);
    expect(parseInspect(json)).toEqual([
      { id: 'a1', name: 'demo_web_1', service: 'web', state: 'running', health: 'starting', exitCode: undefined },
      { id: 'b2', name: 'demo_job_1', service: undefined, state: 'exited', health: 'none', exitCode: 2 },
    ]);
    expect(() => parseInspect('not json')).toThrow(SfpipeError);
  });
});
