/**
 * Bad input for the Kafka/Connect harness: a taken port, a start that never gets ready, a
 * corrupt cache and no registry. Each must name the step and leave no process behind.
 * Runs a second service set on a temp home and spare ports, so the real one is untouched;
 * Maven resolves from the real harness's local repository to keep this cheap.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessHome, HarnessStepFailed, makeContext } from '../../harness/index.js';
import { createKafkaServices } from '../../harness/kafka.js';
import { defaultMavenRepo, ensureRuntime, missingPrerequisite, runtimeLayout, runtimeProblem } from '../../harness/kafka/runtime.js';
import { readPid } from '../../harness/process.js';

const missing = missingPrerequisite(true);
if (missing && process.env.REQUIRE_REAL_SERVICES === '1') throw new Error(`harness-kafka: ${missing}`);
if (missing) process.stderr.write(`\n!!! SKIPPING harness-kafka: ${missing}\n\n`);

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const portOf = (s: Server) => (s.address() as { port: number }).port;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => listen()));
  const ports = servers.map(portOf);
  await Promise.all(servers.map(close));
  return ports;
}

/** Live processes whose command line mentions path (the temp home): must be none. */
function processesMentioning(path: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(path)) found.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return found;
}

describe.skipIf(missing !== undefined)('kafka/connect harness on bad input', () => {
  const homes: string[] = [];
  const tempHome = () => {
    const home = mkdtempSync(join(tmpdir(), 'sfpipe-harness-kafka-'));
    homes.push(home);
    return makeContext({ home, quiet: true });
  };
  const mavenRepo = () => defaultMavenRepo(harnessHome());

  afterAll(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  it('refuses a taken broker or worker port, naming it, and touches nothing', async () => {
    const taken = await listen();
    try {
      const [a, b] = await freePorts(2);
      const port = portOf(taken);
      for (const [name, ports] of [
        ['kafka', { kafka: port, kafkaController: a, connect: b }],
        ['connect', { kafka: a, kafkaController: b, connect: port }],
      ] as const) {
        const ctx = tempHome();
        const services = createKafkaServices({ ports, mavenRepo });
        const err = await services[name].up(ctx).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(HarnessStepFailed);
        expect((err as HarnessStepFailed).step).toBe(`check port ${port}`);
        expect((err as Error).message).toContain(`port ${port} on 127.0.0.1 is already taken`);
        expect(readPid(ctx.home, name)).toBeUndefined();
        expect(readdirSync(ctx.home).filter((f) => f !== 'run')).toEqual([]); // nothing resolved, no logs
        expect((await services[name].status(ctx)).state).toBe('stopped');
      }
    } finally {
      await close(taken);
    }
  });

  it('reports an unreachable registry as the resolve step, with Maven’s reason, and leaves no marker', async () => {
    const ctx = tempHome();
    const emptyRepo = join(ctx.home, 'empty-m2');
    const err = await ensureRuntime(ctx.home, { mavenRepo: emptyRepo, offline: true, progress: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessStepFailed);
    expect((err as HarnessStepFailed).step).toMatch(/^resolve Kafka \d+\.\d+\.\d+ from Maven Central$/);
    expect((err as Error).message).toContain('is Maven Central reachable?');
    expect((err as HarnessStepFailed).logTail).toMatch(/Cannot access central .* in offline mode/);
    expect(runtimeProblem(runtimeLayout(ctx.home))).toMatch(/no completion marker/);
  });

  describe('with a resolved cache in a temp home', () => {
    let ctx: ReturnType<typeof makeContext>;
    let layout: ReturnType<typeof runtimeLayout>;
    beforeAll(() => {
      ctx = tempHome();
      layout = runtimeLayout(ctx.home);
    });

    it('stops the broker it started when it does not get ready, leaving no process behind', async () => {
      const [kafka, kafkaController, connect] = await freePorts(3);
      const services = createKafkaServices({ ports: { kafka, kafkaController, connect }, mavenRepo, readyTimeoutMs: { kafka: 1 } });
      const err = await services.kafka.up(ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HarnessStepFailed);
      expect((err as HarnessStepFailed).step).toBe('start kafka');
      expect((err as Error).message).toMatch(/not ready after|exited before it was ready/);
      expect(readPid(ctx.home, 'kafka')).toBeUndefined();
      expect(processesMentioning(ctx.home)).toEqual([]);
      expect((await services.kafka.status(ctx)).state).toBe('stopped');
      // It got as far as a resolved cache and a formatted log dir: the failure was the start itself.
      expect(runtimeProblem(layout)).toBeUndefined();
      expect(readdirSync(layout.data)).toContain('meta.properties');
    });

    it('detects a missing jar, a truncated jar, a broken or missing marker, and repairs by resolving again', async () => {
      await ensureRuntime(ctx.home, { mavenRepo: mavenRepo(), progress: () => {} });
      expect(runtimeProblem(layout)).toBeUndefined();

      const jar = readdirSync(layout.libs).filter((f) => f.endsWith('.jar')).sort()[0] ?? 'none';
      const jarPath = join(layout.libs, jar);
      unlinkSync(jarPath);
      expect(runtimeProblem(layout)).toBe(`jar missing: ${jarPath}`);
      const progress: string[] = [];
      await ensureRuntime(ctx.home, { mavenRepo: mavenRepo(), progress: (l) => progress.push(l) });
      expect(progress.join('\n')).toContain(`not trusted (jar missing: ${jarPath})`);
      expect(runtimeProblem(layout)).toBeUndefined();
      expect(readdirSync(layout.libs)).toContain(jar);

      truncateSync(jarPath, 10);
      expect(runtimeProblem(layout)).toMatch(new RegExp(`^jar ${escapeRe(jarPath)} has 10 bytes, expected \\d+$`));

      const marker = readFileSync(layout.marker, 'utf8');
      writeFileSync(layout.marker, marker.slice(0, marker.length / 2));
      expect(runtimeProblem(layout)).toMatch(/is not valid JSON/);
      unlinkSync(layout.marker);
      expect(runtimeProblem(layout)).toMatch(/no completion marker/);
    });
  });
});
