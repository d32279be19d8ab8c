/**
 * The Kafka runtime cache: one classpath for broker and Connect worker, resolved from Maven
 * Central by `mvn dependency:copy-dependencies` against harness/kafka/pom.xml into
 * <home>/kafka/<version>/. A completion marker listing every jar (name and size) is written
 * only after resolution succeeded; anything that does not match it is resolved again.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dirs } from '../paths.js';
import { logFile, tailLog, withLock } from '../process.js';
import { HarnessPrerequisiteMissing, HarnessStepFailed } from '../types.js';

export const TEMPLATE_DIR = fileURLToPath(new URL('.', import.meta.url));
const POM = join(TEMPLATE_DIR, 'pom.xml');
const MARKER = 'resolved.json';
const RESOLVE_LOG = 'kafka-resolve';
const RESOLVE_TIMEOUT_MS = 5 * 60_000; // ~10 s here when cold; minutes means a stalled network

/** A pin from the pom's <properties>: the pom is the one place versions are written. */
function pomProperty(name: string): string {
  const match = new RegExp(`<${name.replace(/\./g, '\\.')}>([^<]+)</`).exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new HarnessStepFailed('read kafka pins', `no <${name}> in ${POM}`);
  return match[1].trim();
}

export const kafkaVersion = (): string => pomProperty('kafka.version');

export interface RuntimeLayout {
  version: string;
  /** <home>/kafka/<version> */
  root: string;
  /** broker + worker classpath */
  libs: string;
  /** Connect plugin.path; holds connect-file (FileStreamSource/Sink) */
  plugins: string;
  /** broker data (log.dirs), formatted once */
  data: string;
  /** rendered server/connect/log4j2 configs */
  config: string;
  marker: string;
}

export function runtimeLayout(home: string, version = kafkaVersion()): RuntimeLayout {
  const root = join(home, 'kafka', version);
  return {
    version,
    root,
    libs: join(root, 'libs'),
    plugins: join(root, 'plugins'),
    data: join(root, 'data'),
    config: join(root, 'config'),
    marker: join(root, MARKER),
  };
}

/** Maven's local repository for the harness: under the cache, so deleting the cache is a true cold start. */
export function defaultMavenRepo(home: string): string {
  return join(home, 'm2');
}

interface Marker {
  version: string;
  pomSha256: string;
  /** path relative to the version dir → size in bytes */
  files: Record<string, number>;
}

/** Why the cache cannot be trusted, or undefined when it is complete. */
export function runtimeProblem(layout: RuntimeLayout): string | undefined {
  if (!existsSync(layout.marker)) return `no completion marker ${layout.marker} (never resolved, or resolution was interrupted)`;
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(layout.marker, 'utf8')) as Marker;
  } catch {
    return `completion marker ${layout.marker} is not valid JSON`;
  }
  if (marker.version !== layout.version || marker.pomSha256 !== pomSha256()) return `completion marker ${layout.marker} is for another pom (version ${String(marker.version)})`;
  const files = Object.entries(marker.files ?? {});
  if (files.length === 0) return `completion marker ${layout.marker} lists no jars`;
  for (const [rel, size] of files) {
    const path = join(layout.root, rel);
    let actual: number;
    try {
      actual = statSync(path).size;
    } catch {
      return `jar missing: ${path}`;
    }
    if (actual !== size) return `jar ${path} has ${actual} bytes, expected ${size}`;
  }
  return undefined;
}

/** Java is needed to run anything; Maven only when the cache has to be (re)resolved. */
export function missingPrerequisite(needMaven: boolean): string | undefined {
  if (!onPath('java')) return 'java (a JDK/JRE 17+) is not on PATH; install it, e.g. `apt-get install openjdk-17-jre-headless`';
  if (needMaven && !onPath('mvn')) return 'mvn (Apache Maven) is not on PATH; install it, e.g. `apt-get install maven`';
  return undefined;
}

export interface EnsureRuntimeOptions {
  mavenRepo: string;
  /** mvn -o: resolve from mavenRepo only (tests use it to play "no network") */
  offline?: boolean;
  progress(line: string): void;
}

/** A complete runtime for the pinned version: reused when the marker matches, else resolved from scratch. */
export async function ensureRuntime(home: string, opts: EnsureRuntimeOptions): Promise<RuntimeLayout> {
  const layout = runtimeLayout(home);
  const java = missingPrerequisite(false);
  if (java) throw new HarnessPrerequisiteMissing(java);
  return withLock(home, `kafka-runtime-${layout.version}`, async () => {
    const problem = runtimeProblem(layout);
    if (problem === undefined) return layout;
    const mvn = missingPrerequisite(true);
    if (mvn) throw new HarnessPrerequisiteMissing(mvn);
    opts.progress(existsSync(layout.root) ? `kafka ${layout.version} cache not trusted (${problem}); resolving again` : `resolving kafka ${layout.version} from Maven Central into ${layout.root}`);
    await resolve(home, layout, opts);
    return layout;
  });
}

async function resolve(home: string, layout: RuntimeLayout, opts: EnsureRuntimeOptions): Promise<void> {
  // Whatever is there is not trusted: start from empty dirs (rm removes symlinks, never their targets).
  rmSync(layout.marker, { force: true });
  rmSync(layout.libs, { recursive: true, force: true });
  rmSync(layout.plugins, { recursive: true, force: true });
  mkdirSync(layout.root, { recursive: true });
  copyFileSync(POM, join(layout.root, 'pom.xml'));

  const step = `resolve Kafka ${layout.version} from Maven Central`;
  const args = ['-q', '-B', '-Dstyle.color=never', ...(opts.offline ? ['-o'] : []), `-Dmaven.repo.local=${opts.mavenRepo}`, `org.apache.maven.plugins:maven-dependency-plugin:${pomProperty('dependency-plugin.version')}:copy-dependencies`, `-DoutputDirectory=${layout.libs}`, '-DincludeScope=runtime'];
  const code = await runToLog(home, RESOLVE_LOG, 'mvn', args, layout.root, RESOLVE_TIMEOUT_MS);
  if (code !== 0) {
    throw new HarnessStepFailed(step, `mvn ${code === 'timeout' ? `did not finish in ${RESOLVE_TIMEOUT_MS / 60_000} minutes` : `exited with ${code}`} (is Maven Central reachable? log: ${logFile(home, RESOLVE_LOG)})`, tailLog(home, RESOLVE_LOG));
  }

  // connect-file goes on plugin.path, out of the shared classpath, like a real plugin.
  const fileConnector = readdirSync(layout.libs).find((f) => /^connect-file-.*\.jar$/.test(f));
  if (!fileConnector) throw new HarnessStepFailed(step, `mvn finished but ${layout.libs} has no connect-file jar`, tailLog(home, RESOLVE_LOG));
  const pluginDir = join(layout.plugins, 'connect-file');
  mkdirSync(pluginDir, { recursive: true });
  renameSync(join(layout.libs, fileConnector), join(pluginDir, fileConnector));

  const files: Record<string, number> = {};
  for (const f of readdirSync(layout.libs)) files[join('libs', f)] = statSync(join(layout.libs, f)).size;
  files[join('plugins', 'connect-file', fileConnector)] = statSync(join(pluginDir, fileConnector)).size;
  const marker: Marker = { version: layout.version, pomSha256: pomSha256(), files };
  const tmp = `${layout.marker}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(marker, null, 2)}\n`);
  renameSync(tmp, layout.marker); // the marker appears whole or not at all
}

/** Run a command with stdout/stderr appended to <home>/logs/<name>.log; resolves to its exit code or 'timeout'. */
export function runToLog(home: string, name: string, command: string, args: string[], cwd: string, timeoutMs: number): Promise<number | 'timeout'> {
  const log = logFile(home, name);
  mkdirSync(dirs(home).logs, { recursive: true });
  const fd = openSync(log, 'a');
  writeSync(fd, `--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new HarnessStepFailed(`run ${command}`, err.message));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise(timedOut ? 'timeout' : (code ?? (signal === null ? -1 : 128)));
    });
  });
}

function pomSha256(): string {
  return createHash('sha256').update(readFileSync(POM)).digest('hex');
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      /* not here */
    }
  }
  return false;
}
