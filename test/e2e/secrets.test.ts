/**
 * Secrets never leave sfpipe (issue 9). With a known private key, passphrase and password in
 * play, this runs setup (a dry run, and a real run on the harness test stack), the console in
 * tmux (every pane, its detail views and the help, in both layouts), `status --json`, doctor,
 * the dry runs of every runbook, and then reads the audit log and sfpipe's log — and searches
 * every captured frame, every output and every file for the passphrases, the password and the
 * base64 bodies of the keys (encrypted as on disk and decrypted as sent to the driver; any 31
 * characters of a body count as a leak). A Connect connector holding the secrets in its
 * config (what the Snowflake sink carries) is deployed, so the console sees them too.
 *
 * Also here: the files sfpipe creates (keys, host key, log, audit log) are owner-only, keys/
 * and local config are git-ignored, and identifiers from sfpipe.toml are validated and quoted
 * so a crafted name cannot inject SQL — checked through the config → SQL path.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { ensureHarnessKey, HARNESS_KEY_PASSPHRASE } from '../../harness/snowflake/keys.js';
import { createFileAuditLog } from '../../src/audit/auditLog.js';
import { loadConfig } from '../../src/config/load.js';
import { pemBody } from '../../src/config/redact.js';
import { systemClock } from '../../src/domain/clock.js';
import { SfpipeError } from '../../src/domain/errors.js';
import { loadPrivateKey } from '../../src/keypair/index.js';
import { log as fileLog } from '../../src/log/fileLog.js';
import { sqlVariablesOf } from '../../src/runbooks/inputs.js';
import { prepareScript } from '../../src/runbooks/sql/script.js';
import { SQL_SCRIPT_NAMES } from '../../src/sql/generate.js';
import { loadOrCreateHostKey } from '../../src/ssh/hostKey.js';
import { runCli } from '../fixtures/stack/cli.js';
import { createTestStack, removeStackDir, type TestStack } from '../fixtures/stack/testStack.js';
import { GRID_SIZE, helpOpen, shownSource } from '../support/consoleScreen.js';
import { filterPane } from '../support/paneRows.js';
import { runSfpipe, sfpipeCommandLine } from '../support/sfpipeCli.js';
import { ensureTmux, startTmux } from '../support/tmux.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'Pw-sfpipe-9f3c1e77-never-print';

// ---- leak search ------------------------------------------------------------------

interface Needle {
  what: string;
  value: string;
}

/** Every 24-character window of a body at stride 8: any leaked run of 31+ characters contains one. */
function bodyNeedles(what: string, body: string): Needle[] {
  const out: Needle[] = [];
  for (let i = 0; i + 24 <= body.length; i += 8) out.push({ what: `${what} [${i}…${i + 24}]`, value: body.slice(i, i + 24) });
  return out;
}

function keyNeedles(what: string, file: string, passphrase: string): Needle[] {
  const text = readFileSync(file, 'utf8');
  const decrypted = loadPrivateKey(file, passphrase).pem;
  return [...bodyNeedles(`${what} (as on disk)`, pemBody(text)!), ...bodyNeedles(`${what} (decrypted)`, pemBody(decrypted)!)];
}

/** Where each needle occurs in the texts; [] when nothing leaked. */
function leaks(texts: ReadonlyArray<{ where: string; text: string }>, needles: readonly Needle[]): string[] {
  const found: string[] = [];
  for (const { where, text } of texts) {
    // a frame may wrap a long value: search each line and the text with line breaks removed
    const joined = text.replace(/\n/g, '');
    for (const n of needles) if (text.includes(n.value) || joined.includes(n.value)) found.push(`${n.what} in ${where}`);
  }
  return found;
}

// ---- files sfpipe creates, git-ignore ---------------------------------------------------

describe('what sfpipe writes is owner-only and kept out of git', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const mode = (p: string) => statSync(p).mode & 0o777;

  it('sfpipe keys: private key 0600 in a 0700 directory, nothing secret printed, and git-ignored by the keys dir itself', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', repo]);
    const passphrase = 'keys test passphrase 77';
    const r = await runSfpipe(['keys', '--out', 'keys'], { cwd: repo, env: { PATH: process.env.PATH ?? '', HOME: dir, PRIVATE_KEY_PASSPHRASE: passphrase, SFPIPE_LOG_FILE: join(dir, 'log') } });
    expect(r.code, r.stderr).toBe(0);
    const key = join(repo, 'keys', 'rsa_key.p8');
    expect(mode(key)).toBe(0o600);
    expect(mode(join(repo, 'keys'))).toBe(0o700);
    const needles = [{ what: 'passphrase', value: passphrase }, ...keyNeedles('new key', key, passphrase)];
    expect(leaks([{ where: 'sfpipe keys output', text: r.stdout + r.stderr }], needles)).toEqual([]);
    // even in a repository whose .gitignore says nothing about keys/
    const ignored = (p: string) => {
      try {
        execFileSync('git', ['-C', repo, 'check-ignore', '-q', p]);
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored('keys/rsa_key.p8')).toBe(true);
    expect(ignored('keys/rsa_key.pub')).toBe(true);
  });

  it('the host key of sfpipe serve, the log file and the audit log are 0600', async () => {
    const hostKey = join(dir, 'config', 'sfpipe', 'ssh_host_ed25519_key');
    loadOrCreateHostKey(hostKey);
    expect(mode(hostKey)).toBe(0o600);
    expect(mode(join(dir, 'config', 'sfpipe'))).toBe(0o700);

    const logFile = join(dir, 'state', 'sfpipe', 'sfpipe.log');
    fileLog('info', 'hello', logFile);
    expect(mode(logFile)).toBe(0o600);

    const auditFile = join(dir, 'audit', 'audit.jsonl');
    await createFileAuditLog(auditFile, { clock: systemClock }).append({ who: 'local:test', what: 'runbook.setup', outcome: 'dry-run' });
    expect(mode(auditFile)).toBe(0o600);
    expect(mode(join(dir, 'audit'))).toBe(0o700);
  });

  it("this repository ignores keys/ (except its README) and local config", () => {
    const check = (p: string) => {
      try {
        execFileSync('git', ['-C', REPO, 'check-ignore', '-q', '--no-index', p]);
        return true;
      } catch {
        return false;
      }
    };
    for (const p of ['keys/rsa_key.p8', 'keys/rsa_key.pub', 'keys/anything_else', 'sfpipe.local.toml', '.sfpipe/state.json']) expect(check(p), p).toBe(true);
    expect(check('keys/README.md')).toBe(false);
  });
});

// ---- identifiers: config → SQL --------------------------------------------------------

const IDENTIFIER_KEYS = ['database', 'schema', 'role', 'user', 'admin_warehouse', 'task_warehouse'] as const;
const SCRIPTS = SQL_SCRIPT_NAMES.map((n) => join(REPO, 'sql', n));

describe('identifiers from sfpipe.toml cannot inject SQL', () => {
  let dir: string;
  let defaultCounts: number[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-ident-'));
    defaultCounts = await statementCounts(configFrom(dir, {}));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a crafted database, schema, role, user or warehouse name is refused at load, naming the file and key', () => {
    const crafted = ['KAFKA_DB"; DROP DATABASE PROD; --', "x'; DROP USER ADMIN; --", 'a b', 'DB;', 'DB.OTHER', '"Q"', '1DB', ''];
    for (const key of IDENTIFIER_KEYS) {
      for (const value of crafted) {
        const err = refusal(() => configFrom(dir, { [key]: value }));
        expect(err, `${key} = ${JSON.stringify(value)}`).toBeInstanceOf(SfpipeError);
        expect(err!.kind).toBe('invalid-input');
        expect(err!.describe()).toContain('sfpipe.toml');
        expect(err!.describe()).toContain(key);
      }
    }
  });

  it('a crafted topic name is refused at load too (topics name raw tables)', () => {
    const err = refusal(() => configFrom(dir, {}, ['orders"; DROP TABLE X; --']));
    expect(err?.kind).toBe('invalid-input');
    expect(err?.describe()).toContain('topics');
  });

  it('any accepted name reaches the SQL only double-quoted and upper-cased, and never changes how a script splits', async () => {
    const value = fc.oneof(fc.string({ maxLength: 24 }), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,20}$/), fc.constantFrom('kafka_db', 'my$db', '_X', 'ö', 'a"b', 'a;b', "a'b", 'a--b', 'a/*b'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...IDENTIFIER_KEYS), value, async (key, v) => {
        let config;
        try {
          config = configFrom(dir, { [key]: v });
        } catch (err) {
          expect(err).toBeInstanceOf(SfpipeError);
          expect((err as SfpipeError).kind).toBe('invalid-input');
          return;
        }
        // accepted: a plain name, which must appear as "UPPER" wherever it is used
        expect(v).toMatch(/^[A-Za-z_][A-Za-z0-9_$]*$/);
        expect(await statementCounts(config)).toEqual(defaultCounts);
        const vars = sqlVariablesOf(config);
        const sqlKey = key;
        expect(vars[sqlKey]).toBe(v);
        for (const path of SCRIPTS) {
          const { statements } = await prepareScript(path, vars, undefined);
          const text = statements.map((s) => s.text).join('\n');
          if (new RegExp(`&\\{${sqlKey}\\}`).test(readFileSync(path, 'utf8'))) expect(text).toContain(`"${v.toUpperCase()}"`);
        }
      }),
      { numRuns: 60 },
    );
  });
});

function configFrom(dir: string, snowflake: Record<string, string>, topics?: string[]) {
  const file = join(dir, 'sfpipe.toml');
  const lines = ['[snowflake]', ...Object.entries(snowflake).map(([k, v]) => `${k} = ${JSON.stringify(v)}`)];
  if (topics) lines.push('[kafka]', `topics = ${JSON.stringify(topics)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return loadConfig({ cwd: dir, env: { HOME: dir }, homedir: dir, flags: { config: file }, skipConnections: true });
}

function refusal(fn: () => unknown): SfpipeError | undefined {
  try {
    fn();
  } catch (err) {
    return err as SfpipeError;
  }
  return undefined;
}

async function statementCounts(config: ReturnType<typeof configFrom>): Promise<number[]> {
  const vars = sqlVariablesOf(config);
  return Promise.all(SCRIPTS.map(async (p) => (await prepareScript(p, vars, undefined)).statements.length));
}

// ---- no leaks, end to end -------------------------------------------------------------

const h = await requireServices(['docker', 'kafka', 'connect', 'snowflake']);
const tmuxReady = await ensureTmux();

describe.skipIf(!h.ok || !tmuxReady.ok)('no secret in any frame, output or file', () => {
  const env = (h.ok ? h.env : {}) as Record<string, string>;
  const id = randomUUID().slice(0, 8);
  let stack: TestStack;
  let logFile: string;
  let needles: Needle[] = [];
  const texts: { where: string; text: string }[] = [];
  const notes: string[] = [];
  const secretConnector = `secrets-probe-${id}`;
  let childEnv: Record<string, string>;

  beforeAll(async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'sfpipe-secrets-log-'));
    logFile = join(scratch, 'sfpipe.log');
    // in-process runs (runCli) log through process.env
    process.env.SFPIPE_LOG_FILE = logFile;
    stack = createTestStack({ ...env, SNOWFLAKE_PASSWORD: PASSWORD }, `sec${id}`);
    childEnv = Object.fromEntries(Object.entries({ ...stack.processEnv, SFPIPE_LOG_FILE: logFile, LANG: 'C.UTF-8' }).filter((e): e is [string, string] => e[1] !== undefined));
    const harnessKey = ensureHarnessKey(h.ok ? h.ctx.home : '').privateKeyFile;
    needles = [
      { what: 'stack passphrase', value: stack.passphrase },
      { what: 'harness key passphrase', value: HARNESS_KEY_PASSPHRASE },
      { what: 'password', value: PASSWORD },
      ...keyNeedles('harness private key', harnessKey, HARNESS_KEY_PASSPHRASE),
    ];
    // A connector holding secrets in its config, as the Snowflake sink does (Connect returns them in clear).
    const res = await fetch(`${env.SFPIPE_CONNECT_URL}/connectors/${secretConnector}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'tasks.max': '1',
        topics: `secrets_probe_${id}`,
        file: join(stack.dir, 'probe-sink.txt'),
        'snowflake.private.key': pemBody(readFileSync(harnessKey, 'utf8')),
        'snowflake.private.key.passphrase': HARNESS_KEY_PASSPHRASE,
        'snowflake.password': PASSWORD,
      }),
    });
    expect(res.status, await res.text()).toBeLessThan(300);
  });

  afterAll(async () => {
    await fetch(`${env.SFPIPE_CONNECT_URL}/connectors/${secretConnector}`, { method: 'DELETE' }).catch(() => undefined);
    if (stack) {
      await stack.close();
      removeStackDir(stack);
    }
    delete process.env.SFPIPE_LOG_FILE;
    if (notes.length) process.stdout.write(`[secrets] ${notes.join('\n[secrets] ')}\n`);
  });

  it('setup --dry-run prints no secret and changes nothing', async () => {
    const r = await runSfpipe(['setup', '--dry-run'], { cwd: stack.dir, env: childEnv });
    texts.push({ where: 'setup --dry-run (CLI)', text: r.stdout + r.stderr });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(stack.dir, 'keys'))).toBe(false);
    const inProcess = await runCli(stack, 'setup', ['--dry-run']);
    texts.push({ where: 'setup --dry-run (test stack)', text: inProcess.stdout + inProcess.stderr });
    expect(inProcess.code, inProcess.stderr).toBe(0);
    expect(leaks(texts, needles)).toEqual([]);
  });

  it('a real setup on the test stack prints no secret (and fills the sink with them)', async () => {
    const r = await runCli(stack, 'setup', ['--yes']);
    texts.push({ where: 'setup (test stack)', text: r.stdout + r.stderr });
    if (r.code !== 0) notes.push(`the real setup run did not complete (exit ${r.code}); its output is still searched: ${r.stderr.split('\n').slice(-3).join(' | ')}`);
    const key = join(stack.keysDir, 'rsa_key.p8');
    if (existsSync(key)) needles.push(...keyNeedles('stack private key', key, stack.passphrase));
    expect(leaks(texts, needles)).toEqual([]);
  });

  it('the dry runs of pause, resume and cleanup, status --json, status and doctor print no secret', async () => {
    const runs: [string, string[]][] = [
      ['pause --dry-run', ['pause', '--dry-run']],
      ['resume --dry-run', ['resume', '--dry-run']],
      ['cleanup --dry-run', ['cleanup', '--dry-run', '--purge-keys', '--volumes']],
      ['status --json', ['status', '--json']],
      ['status', ['status']],
      ['doctor', ['doctor']],
      ['doctor --json', ['doctor', '--json']],
    ];
    for (const [where, args] of runs) {
      const r = await runSfpipe(args, { cwd: stack.dir, env: childEnv });
      expect(r.signal, `${where}: ${r.stderr}`).toBeNull();
      texts.push({ where, text: r.stdout + r.stderr });
    }
    const status = texts.find((t) => t.where === 'status --json')!.text;
    expect(() => JSON.parse(status.slice(0, status.lastIndexOf('}') + 1))).not.toThrow();
    expect(leaks(texts, needles)).toEqual([]);
  });

  it('the console: every pane, its detail views and the help, in the grid and the tabbed layout', async () => {
    const t = await startTmux({ ...GRID_SIZE, env: childEnv, cwd: stack.dir });
    const frames: { where: string; text: string }[] = [];
    const grab = async (where: string) => frames.push({ where: `console: ${where}`, text: await t.screen() });
    try {
      await t.run(`${sfpipeCommandLine(['console', '--refresh', '1'])}; echo "sfpipe-exit=$?"`);
      await t.waitFor((s) => shownSource(s, 'connect')?.word === 'ok' && shownSource(s, 'kafka')?.word === 'ok', 60_000);
      await t.waitFor((s) => s.includes(secretConnector) || s.includes('Connectors'), 30_000);
      await grab('grid');
      await t.keys('?');
      await t.waitFor(helpOpen, 10_000);
      for (let i = 0; i < 3; i++) {
        await grab(`help page ${i + 1}`);
        await t.keys('PageDown');
      }
      await t.keys('Escape');
      for (const layout of ['grid', 'tabbed'] as const) {
        if (layout === 'tabbed') await t.resize(100, 30);
        for (const pane of ['1', '2', '3', '4', '5']) {
          await t.keys(pane);
          // Other suites' connectors may sort before the probe: filter to it, so its details are opened.
          if (pane === '3' && layout === 'grid') await filterPane(t, '3', secretConnector, 10_000);
          await grab(`${layout} pane ${pane}`);
          // the first rows' detail views, scrolled
          for (let row = 0; row < 4; row++) {
            await t.keys('Enter');
            await new Promise((r) => setTimeout(r, 300));
            await grab(`${layout} pane ${pane} row ${row + 1} details`);
            await t.keys('PageDown');
            await grab(`${layout} pane ${pane} row ${row + 1} details, scrolled`);
            await t.keys('Escape');
            await t.keys('j');
          }
          await t.keys('g');
        }
      }
      await t.resize(GRID_SIZE.columns, GRID_SIZE.rows);
      await grab('grid again');
      frames.push({ where: 'console: scrollback', text: await t.history() });
      await t.keys('q');
      await t.waitFor(/sfpipe-exit=\d+/, 20_000);
      frames.push({ where: 'console: after quit (scrollback)', text: await t.history() });
    } finally {
      await t.kill();
    }
    texts.push(...frames);
    // the probe connector is really on screen somewhere, so its secrets were within reach
    expect(frames.some((f) => f.text.includes(secretConnector)), 'the connector holding secrets never appeared in the console').toBe(true);
    expect(leaks(frames, needles)).toEqual([]);
  });

  it('the audit log, sfpipe\'s log and every other file sfpipe wrote hold no secret', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (p === stack.keysDir) continue; // the key files are where the key is supposed to be
        const st = lstatSync(p);
        if (st.isDirectory()) walk(p);
        else if (st.isFile() && st.size < 5_000_000) files.push(p);
      }
    };
    walk(stack.dir);
    if (existsSync(logFile)) files.push(logFile);
    const audit = stack.processEnv.SFPIPE_AUDIT_LOG!;
    if (!existsSync(audit)) notes.push(`no audit log was written at ${audit}`);
    const fileTexts = files.map((f) => ({ where: `file ${relative(stack.dir, f) || f}`, text: readFileSync(f, 'utf8') }));
    expect(leaks(fileTexts, needles)).toEqual([]);
    expect(fileTexts.length).toBeGreaterThan(0);
    // and everything gathered before, once more with every needle known by now
    expect(leaks(texts, needles)).toEqual([]);
  });
});
