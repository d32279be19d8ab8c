/**
 * docker-compose.yml as the compose tool the harness installs (Debian's docker-compose v1)
 * reads it: it must validate, and its normalised config must match src/stack's constants.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../harness/apt.js';
import { requireServices } from '../../harness/index.js';
import { COMPOSE_FILE_NAME, COMPOSE_PROJECT_NAME, CONTROL_CENTER_PROFILE, STACK_SERVICES, composeArgs, compareComposeConfig } from '../../src/stack/index.js';

const run = promisify(execFile);
// js-yaml arrives with eslint; it reads the tool's canonical YAML output.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const ROOT = new URL('../../', import.meta.url).pathname;
const COMPOSE = join(ROOT, COMPOSE_FILE_NAME);

const h = await requireServices(['docker']);
const composeBin = h.ok ? findOnPath('docker-compose') : undefined;

async function compose(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!h.ok || !composeBin) throw new Error('compose tool not available');
  try {
    const { stdout, stderr } = await run(composeBin, [...composeArgs({ file }), ...args], { cwd: ROOT, env: { ...process.env, ...h.env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

describe.skipIf(!h.ok)('docker-compose.yml through the compose tool', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'sfpipe-compose-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the harness provides docker-compose', () => {
    expect(composeBin).toBeDefined();
  });

  it('validates', async () => {
    const r = await compose(COMPOSE, ['config', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('lists exactly the services and the one profile src/stack knows', async () => {
    const services = await compose(COMPOSE, ['config', '--services']);
    expect(services.code).toBe(0);
    expect(services.stdout.trim().split('\n').sort()).toEqual(STACK_SERVICES.map((s) => s.service).sort());
    const profiles = await compose(COMPOSE, ['config', '--profiles']);
    expect(profiles.stdout.trim().split('\n')).toEqual([CONTROL_CENTER_PROFILE]);
  });

  it('its normalised config has the names, ports, labels, images and build args sfpipe expects', async () => {
    const r = await compose(COMPOSE, ['config']);
    expect(r.code).toBe(0);
    const doc = yaml.load(r.stdout) as Record<string, unknown>;
    expect(compareComposeConfig(doc)).toEqual([]);
    // `docker compose` v2 prints the project name; v1 has no such key and takes it from -p / .env
    if ('name' in doc) expect(doc.name).toBe(COMPOSE_PROJECT_NAME);
  });

  it('a drifted copy is caught from the normalised output, and an invalid one is refused', async () => {
    const drifted = join(scratch, 'docker-compose.yml');
    writeFileSync(drifted, readFileSync(COMPOSE, 'utf8').replace('"127.0.0.1:8083:8083"', '"8083:8083"').replace('io.sfpipe.role: broker', 'io.sfpipe.role: kafka'));
    // v1 refuses a file whose build context does not exist
    mkdirSync(join(scratch, 'docker', 'connect'), { recursive: true });
    const r = await compose(drifted, ['config']);
    expect(r.code).toBe(0);
    expect(compareComposeConfig(yaml.load(r.stdout)).map((m) => `${m.path}: ${m.actual}`)).toEqual(['services.broker.labels.io.sfpipe.role: kafka', 'services.connect.ports: 0.0.0.0:8083->8083/tcp']);
    const invalid = join(scratch, 'invalid.yml');
    writeFileSync(invalid, 'services:\n  broker:\n    image: x\n    restart: sometimes-maybe\n    healthcheck: yes-please\n');
    const bad = await compose(invalid, ['config', '-q']);
    expect(bad.code).not.toBe(0);
  });
});
