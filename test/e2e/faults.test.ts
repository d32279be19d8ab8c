/**
 * The fault matrix (issue 9): every backend in turn is killed -9 and restarted, and replaced
 * by four bad listeners — one that accepts and never answers, one that answers HTTP 500 with
 * an HTML page, one that answers truncated JSON, one that answers only after 10 s — while the
 * console runs in tmux and `sfpipe status --watch --json` runs beside it, both against the
 * harness's real engines. For each fault: the console stays up and answers keys, shows the
 * source as down or stale with the error kind, keeps the other sources fresh, and shows it ok
 * again once the fault is gone; neither process crashes or prints a stack.
 *
 * How a bad listener takes a backend's place: the console reaches Connect, Snowflake and
 * Docker through a switchable listener (test/support/faultServers.ts) that passes traffic to
 * the real engine, and turns into the bad listener for a fault. Kafka cannot be put behind
 * one (clients go to the address the broker advertises), so for Kafka the broker is killed
 * and the bad listener binds the broker's own port, and the broker is restarted afterwards.
 *
 * Bounds (not speed assertions): detection and recovery must each happen within two refresh
 * intervals — the bound — plus the source's poll timeout (a hung call can only fail
 * at its timeout) plus one second for the screen to be drawn and read. Recovery is counted
 * from the moment the fault is gone: the listener switched back, or the restarted engine
 * answering its own readiness check. The table printed at the end has the measured numbers.
 *
 * One console and one status process serve the whole matrix. Run alone it takes a few
 * minutes. Other suites share the harness's engines; to run this one beside them, give it its
 * own: SFPIPE_HARNESS_HOME=<dir> SFPIPE_HARNESS_DOCKER=own SFPIPE_HARNESS_KAFKA_PORT=29092
 * SFPIPE_HARNESS_KAFKA_CONTROLLER_PORT=29093 SFPIPE_HARNESS_CONNECT_PORT=28083
 * SFPIPE_HARNESS_SNOWFLAKE_PORT=28085 npx vitest run test/e2e/faults.test.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerPaths } from '../../harness/docker.js';
import { requireServices, SERVICES, type HarnessContext, type HarnessServiceName } from '../../harness/index.js';
import { isAlive, livePid, withLock } from '../../harness/process.js';
import { buildServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/load.js';
import type { SourceName } from '../../src/domain/model.js';
import { DEFAULT_TIMEOUTS } from '../../src/pollers/index.js';
import { isUnconfigured } from '../../src/services/types.js';
import type { StatusJsonV1 } from '../../src/status/json.js';
import { crashSigns, GRID_SIZE, helpOpen, shownSource, shownSources, type ShownSource } from '../support/consoleScreen.js';
import { startFaultServer, type FaultMode, type FaultServer } from '../support/faultServers.js';
import { SFPIPE_CLI_ENV, sfpipeArgv, sfpipeCommandLine } from '../support/sfpipeCli.js';
import { ensureTmux, startTmux, type Tmux } from '../support/tmux.js';

const REFRESH_S = 1;
const REFRESH_MS = REFRESH_S * 1000;
const DRAW_SLACK_MS = 1_000;
/** How long we keep waiting past a bound, so the table shows what really happened. */
const OVERRUN_MS = 30_000;
const BASELINE_MS = 60_000;

type Fault = 'kill -9' | Exclude<FaultMode, 'pass'>;
const FAULTS: readonly Fault[] = ['kill -9', 'hang', 'http500', 'badJson', 'slow'];
/** Proxied sources first; Kafka last, since its restarts also shake the Connect worker. */
const SOURCES: readonly SourceName[] = ['docker', 'connect', 'snowflake', 'kafka'];
const HARNESS_NAME: Record<SourceName, HarnessServiceName> = { docker: 'docker', kafka: 'kafka', connect: 'connect', snowflake: 'snowflake' };
const PID_NAME: Record<SourceName, string> = { docker: 'dockerd', kafka: 'kafka', connect: 'connect', snowflake: 'snowflake' };
/** Sources whose health depends on another one (a Connect worker without its broker is not healthy). */
const DEPENDS_ON: Partial<Record<SourceName, SourceName>> = { connect: 'kafka' };

/** The kinds a fault may be reported as; a hung or slow backend must end at the timeout. */
function acceptableKinds(fault: Fault): readonly string[] | 'any-but-internal' {
  switch (fault) {
    case 'kill -9':
      return ['unreachable', 'timeout'];
    case 'hang':
    case 'slow':
      return ['timeout'];
    default:
      return 'any-but-internal';
  }
}

const limitMs = (source: SourceName) => 2 * REFRESH_MS + DEFAULT_TIMEOUTS[source] + DRAW_SLACK_MS;

interface Row {
  fault: Fault;
  source: SourceName;
  kindConsole?: string | undefined;
  kindStatus?: string | undefined;
  detectConsoleMs?: number | undefined;
  detectStatusMs?: number | undefined;
  recoverConsoleMs?: number | undefined;
  recoverStatusMs?: number | undefined;
  note?: string;
}
const rows: Row[] = [];

const h = await requireServices(['docker', 'kafka', 'connect', 'snowflake']);
const tmuxReady = await ensureTmux();

describe.skipIf(!h.ok || !tmuxReady.ok)('fault matrix: the console and status --watch against failing backends', () => {
  const ctx = (h.ok ? h.ctx : undefined) as HarnessContext;
  const harnessEnv = (h.ok ? h.env : {}) as Record<string, string>;
  let dir: string;
  let env: Record<string, string>;
  let tmux: Tmux;
  let consolePid: number;
  let watch: StatusWatch;
  const proxies: Partial<Record<SourceName, FaultServer>> = {};
  /** why a source cannot be faulted here (no adapter wired, the user's own engine …) */
  const notTestable: Partial<Record<SourceName, string>> = {};
  /** engines this test stopped on purpose for a while (left out of the baseline and freshness checks) */
  const stoppedOnPurpose = new Set<SourceName>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-faults-'));
    const connectUrl = new URL(harnessEnv.SFPIPE_CONNECT_URL!);
    proxies.connect = await startFaultServer({ mode: 'pass', target: { host: connectUrl.hostname, port: Number(connectUrl.port) } });
    proxies.snowflake = await startFaultServer({ mode: 'pass', target: { host: harnessEnv.SNOWFLAKE_HOST!, port: Number(harnessEnv.SNOWFLAKE_PORT) } });
    const dockerHost = harnessEnv.DOCKER_HOST!;
    proxies.docker = await startFaultServer({
      mode: 'pass',
      target: dockerHost.startsWith('unix://') ? { path: dockerHost.slice('unix://'.length) } : { host: new URL(dockerHost).hostname, port: Number(new URL(dockerHost).port) },
    });
    env = {
      ...harnessEnv,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, '.config'),
      XDG_STATE_HOME: join(dir, '.state'),
      SNOWFLAKE_HOME: join(dir, '.snowflake'),
      SFPIPE_LOG_FILE: join(dir, 'sfpipe.log'),
      LANG: 'C.UTF-8',
      SFPIPE_CONNECT_URL: `http://127.0.0.1:${proxies.connect.port}`,
      SNOWFLAKE_PORT: String(proxies.snowflake.port),
      DOCKER_HOST: `tcp://127.0.0.1:${proxies.docker.port}`,
    };

    // Which sources this build really polls (an adapter not wired yet shows 'not configured').
    const services = buildServices(loadConfig({ cwd: dir, env, homedir: dir }));
    for (const s of SOURCES) {
      const slot = services[s];
      if (isUnconfigured(slot)) notTestable[s] = `not wired in src/app/services.ts: ${slot.reason}`;
    }
    await services.close();
    if ((await SERVICES.docker.status(ctx)).state === 'external') notTestable.docker = "the harness uses the user's own Docker engine, which a test must not kill";

    tmux = await startTmux({ ...GRID_SIZE, env, cwd: dir });
    await tmux.run(`${sfpipeCommandLine(['console', '--refresh', String(REFRESH_S)])}; echo "sfpipe-exit=$?"`);
    await tmux.waitFor((s) => shownSource(s, 'kafka') !== undefined, 60_000);
    [consolePid] = (await tmux.childPids()) as [number];
    watch = new StatusWatch(env, dir);
    await waitBaseline();
  });

  afterAll(async () => {
    try {
      if (tmux) {
        await tmux.keys('q');
        const screen = await tmux.waitFor(/sfpipe-exit=\d+/, 20_000).catch(async () => tmux.screen());
        const state = await tmux.paneState();
        expect(/sfpipe-exit=(\d+)/.exec(screen)?.[1], `console exit; screen:\n${screen}`).toBe('0');
        expect(state.alternateScreen).toBe(false);
        expect(state.cursorVisible).toBe(true);
        expect(crashSigns(screen)).toBeUndefined();
      }
      if (watch) {
        const { code, stderr } = await watch.stop();
        expect([0, 1], `status --watch exit; stderr:\n${stderr}`).toContain(code);
        expect(crashSigns(stderr), stderr).toBeUndefined();
      }
      if (dir && existsSync(join(dir, 'sfpipe.log'))) expect(crashSigns(readFileSync(join(dir, 'sfpipe.log'), 'utf8'))).toBeUndefined();
    } finally {
      await tmux?.kill();
      await watch?.stop();
      for (const p of Object.values(proxies)) await p.close();
      // leave every engine running for the suites that follow
      if (ctx) for (const s of SOURCES) if (!['running', 'external'].includes((await SERVICES[HARNESS_NAME[s]].status(ctx)).state) || stoppedOnPurpose.has(s)) await restart(s).catch(() => undefined);
      printMatrix();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Every testable source ok in both views (after a restart the Connect worker may take a while). */
  async function waitBaseline(): Promise<void> {
    const wanted = SOURCES.filter((s) => !notTestable[s] && !stoppedOnPurpose.has(s));
    await tmux.waitFor((screen) => wanted.every((s) => shownSource(screen, s)?.word === 'ok'), BASELINE_MS, 250);
    await watch.waitFor((j) => wanted.every((s) => j.sources[s].status === 'ok'), BASELINE_MS);
  }

  async function restart(source: SourceName): Promise<void> {
    const name = HARNESS_NAME[source];
    if (source === 'docker') {
      // A killed dockerd leaves its containerd to die (and be reaped) after it; a dockerd started
      // before that finds the old pid "still running" and gives up. down() clears leftovers.
      const containerdPid = readPidFile(join(dockerPaths(ctx.home).execRoot, 'containerd', 'containerd.pid'));
      await SERVICES.docker.down(ctx);
      await waitUntil(() => containerdPid === undefined || !pidExists(containerdPid), 30_000, 'the killed dockerd\'s containerd to be gone');
    }
    // Not harness up(): it would record the restarted engine as this run's, and a person's
    // `harness up` engines would then be stopped at the end of the run.
    await withLock(ctx.home, `up-${name}`, () => SERVICES[name].up(ctx));
  }

  function kill9(source: SourceName): void {
    const pid = livePid(ctx.home, PID_NAME[source]);
    if (pid === undefined) throw new Error(`no live ${PID_NAME[source]} pid recorded under ${ctx.home}`);
    process.kill(pid, 'SIGKILL');
  }

  async function waitDead(source: SourceName, pid: number | undefined): Promise<void> {
    if (pid !== undefined) await waitUntil(() => !isAlive(pid), 30_000, `${PID_NAME[source]} to die`);
  }

  for (const source of SOURCES) {
    for (const fault of FAULTS) {
      it(`${fault} × ${source}`, async (test) => {
        const reason = notTestable[source];
        if (reason) {
          rows.push({ fault, source, note: `skipped: ${reason}` });
          test.skip(reason);
          return;
        }
        const row: Row = { fault, source };
        if (source === 'kafka' && fault !== 'kill -9' && !stoppedOnPurpose.has('connect') && !notTestable.connect) {
          // The harness's Connect worker is a Java Kafka client: meeting an HTTP answer on the broker's
          // port it reads "HTTP" as a ~1.2 GB message size and dies of OutOfMemoryError. Not sfpipe's
          // concern, so it sits these faults out and is started again at the end.
          await SERVICES.connect.down(ctx);
          stoppedOnPurpose.add('connect');
        }
        if (stoppedOnPurpose.size) row.note = `stopped meanwhile: ${[...stoppedOnPurpose].join(', ')} (see the file's comments)`;
        await waitBaseline();
        rows.push(row);
        const limit = limitMs(source);
        const kafkaPort = Number(harnessEnv.SFPIPE_KAFKA_BROKERS!.split(':').pop());
        let standIn: FaultServer | undefined;
        let removed = false;

        // ---- inject
        const pid = livePid(ctx.home, PID_NAME[source]);
        // For Kafka's bad listeners the fault starts with the kill that frees the broker's port.
        const injectedAt = Date.now();
        if (fault === 'kill -9') {
          kill9(source);
        } else if (source === 'kafka') {
          kill9(source);
          await waitDead(source, pid);
          standIn = await listenWhenFree(fault, kafkaPort);
        } else {
          proxies[source]!.setMode(fault);
        }
        const remove = async () => {
          if (removed) return;
          removed = true;
          if (fault === 'kill -9' || source === 'kafka') {
            await standIn?.close();
            await waitDead(source, pid);
            await restart(source);
          } else {
            proxies[source]!.setMode('pass');
          }
        };

        try {
          // ---- detect, in both views at once: the source not ok, with an error kind this fault
          // may be reported as (a hang must show as a timeout, not the reset that preceded it),
          // and for a bad listener only once it has really been reached.
          const kinds = acceptableKinds(fault);
          const listener = standIn ?? (fault === 'kill -9' ? undefined : proxies[source]);
          const reached = () => listener === undefined || listener.accepted[fault as FaultMode] > 0;
          const lastKind: { console?: string | undefined; status?: string | undefined } = {};
          const shows = (status: string, kind: string | undefined, view: 'console' | 'status') => {
            if (status === 'ok' || kind === undefined) return false;
            lastKind[view] = kind;
            return reached() && (kinds === 'any-but-internal' || kinds.includes(kind));
          };
          const [consoleSeen, statusSeen] = await Promise.all([
            waitScreen((screen) => {
              const shown = shownSource(screen, source);
              return shown !== undefined && shows(shown.word, shown.kind, 'console');
            }, limit + OVERRUN_MS),
            watch.waitFor((j) => shows(j.sources[source].status, j.sources[source].error?.kind, 'status'), limit + OVERRUN_MS),
          ]);
          row.detectConsoleMs = consoleSeen ? consoleSeen.at - injectedAt : undefined;
          row.detectStatusMs = statusSeen ? statusSeen.at - injectedAt : undefined;
          row.kindConsole = lastKind.console;
          row.kindStatus = lastKind.status;

          // While the fault lasts: keys answered, no crash, the other sources still fresh.
          await expectAlive();
          await tmux.keys('?');
          await tmux.waitFor(helpOpen, 10_000);
          await tmux.keys('Escape');
          const screen = await tmux.waitFor((s) => !helpOpen(s) && shownSource(s, source) !== undefined, 10_000);
          const others = SOURCES.filter((s) => s !== source && !notTestable[s] && DEPENDS_ON[s] !== source && !stoppedOnPurpose.has(s));
          const shown = shownSources(screen);
          for (const other of others) expectFresh(other, shown[other], `console, during ${fault} × ${source}`);
          const latest = watch.latest();
          for (const other of others) {
            const o = latest?.json.sources[other];
            expect(o?.status, `status --watch: ${other} during ${fault} × ${source} (${o?.error?.kind}: ${o?.error?.message})`).toBe('ok');
            expect(latest?.json.sources[other].ageMs ?? Infinity).toBeLessThanOrEqual(limitMs(other));
          }

          // ---- remove and recover
          await remove();
          const removedAt = Date.now();
          const [consoleOk, statusOk] = await Promise.all([
            waitScreen((s) => shownSource(s, source)?.word === 'ok', limit + OVERRUN_MS),
            watch.waitFor((j) => j.sources[source].status === 'ok', limit + OVERRUN_MS),
          ]);
          row.recoverConsoleMs = consoleOk ? consoleOk.at - removedAt : undefined;
          row.recoverStatusMs = statusOk ? statusOk.at - removedAt : undefined;
          await expectAlive();

          // ---- the verdicts
          for (const [view, kind] of [['console', row.kindConsole], ['status --watch', row.kindStatus]] as const) {
            expect(kind, `${view}: error kind for ${fault} × ${source}`).toBeDefined();
            if (kinds === 'any-but-internal') expect(kind, `${view}: ${fault} × ${source} reported as an internal error`).not.toBe('internal');
            else expect(kinds, `${view}: ${fault} × ${source} reported as ${kind}`).toContain(kind);
          }
          for (const [what, ms] of [
            ['console detected', row.detectConsoleMs],
            ['status detected', row.detectStatusMs],
            ['console recovered', row.recoverConsoleMs],
            ['status recovered', row.recoverStatusMs],
          ] as const) {
            expect(ms, `${what} (${fault} × ${source}); bound ${limit} ms`).toBeDefined();
            expect(ms!, `${what} (${fault} × ${source})`).toBeLessThanOrEqual(limit);
          }
          expect(reached(), 'the bad listener was never reached').toBe(true);
        } finally {
          await remove();
          process.stderr.write(`[faults] ${formatRow(row)}\n`);
        }
      });
    }
  }

  async function waitScreen(match: (screen: string) => boolean, timeoutMs: number): Promise<{ at: number; screen: string } | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const screen = await tmux.screen();
      if (match(screen)) return { at: Date.now(), screen };
      await sleep(150);
    }
    return undefined;
  }

  async function expectAlive(): Promise<void> {
    expect(isAlive(consolePid), 'the console process exited').toBe(true);
    const state = await tmux.paneState();
    expect(state.alternateScreen, 'the console left the alternate screen').toBe(true);
    expect(crashSigns(await tmux.screen())).toBeUndefined();
    watch.expectRunning();
  }

  /** A killed broker's port stays taken while its clients' half-closed connections linger: retry the bind a while. */
  async function listenWhenFree(mode: FaultMode, port: number): Promise<FaultServer> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        return await startFaultServer({ mode, port });
      } catch (err) {
        if ((err as { code?: string }).code !== 'EADDRINUSE' || Date.now() > deadline) throw err;
        await sleep(200);
      }
    }
  }

  function expectFresh(source: SourceName, shown: ShownSource | undefined, where: string): void {
    expect(shown?.word, `${where}: ${source}`).toBe('ok');
    expect((shown?.ageSeconds ?? Infinity) * 1000, `${where}: ${source} data age`).toBeLessThanOrEqual(limitMs(source));
  }
});

/** `sfpipe status --watch --json` as a child process: one JSON picture per line, timestamped on arrival. */
class StatusWatch {
  private readonly child: ChildProcess;
  private readonly lines: { at: number; json: StatusJsonV1 }[] = [];
  private stderr = '';
  private exit: Promise<{ code: number | null; stderr: string }>;
  private buffer = '';

  constructor(env: Record<string, string>, cwd: string) {
    const [cmd, ...args] = sfpipeArgv(['status', '--watch', '--json', '--refresh', String(REFRESH_S)]);
    this.child = spawn(cmd!, args, { cwd, env: { ...env, ...SFPIPE_CLI_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        if (line.trim()) this.lines.push({ at: Date.now(), json: JSON.parse(line) as StatusJsonV1 });
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve({ code, stderr: this.stderr })));
  }

  latest(): { at: number; json: StatusJsonV1 } | undefined {
    return this.lines.at(-1);
  }

  /** The first picture printed from now on that matches, or undefined after timeoutMs. */
  async waitFor(match: (json: StatusJsonV1) => boolean, timeoutMs: number): Promise<{ at: number; json: StatusJsonV1 } | undefined> {
    let next = this.lines.length;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (; next < this.lines.length; next++) if (match(this.lines[next]!.json)) return this.lines[next];
      await sleep(50);
    }
    return undefined;
  }

  expectRunning(): void {
    expect(this.child.exitCode, `status --watch exited; stderr:\n${this.stderr}`).toBeNull();
    expect(crashSigns(this.stderr), this.stderr).toBeUndefined();
  }

  async stop(): Promise<{ code: number | null; stderr: string }> {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
    return this.exit;
  }
}

const secs = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(1));

function formatRow(r: Row): string {
  const s = secs;
  return `| ${r.fault} | ${r.source} | ${r.kindConsole ?? '—'} / ${r.kindStatus ?? '—'} | ${s(r.detectConsoleMs)} / ${s(r.detectStatusMs)} | ${s(r.recoverConsoleMs)} / ${s(r.recoverStatusMs)} | ${r.note ?? ''} |`;
}

function printMatrix(): void {
  const lines = [
    `Fault matrix (refresh ${REFRESH_S} s; bound per source = 2 refresh intervals + its poll timeout + ${DRAW_SLACK_MS / 1000} s to draw: ` +
      (['docker', 'kafka', 'connect', 'snowflake'] as const).map((x) => `${x} ${limitMs(x) / 1000} s`).join(', ') +
      '). Times in seconds from the fault (detected) and from its removal (recovered), console / status --watch.',
    '',
    '| fault | source | kind shown (console / status) | detected in (console / status) | recovered in (console / status) | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(formatRow),
    '',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Any process with this pid, zombies included (harness isAlive() counts a zombie as dead). */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await sleep(100);
  }
}
