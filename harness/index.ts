/**
 * The harness's programmatic API: the CLI (`npm run harness -- up|down|status|env`) and the
 * test suites both go through here, so a person and a test see the same services.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectService, kafkaService } from './kafka.js';
import { dockerService } from './docker.js';
import { schemaRegistryService } from './schema-registry.js';
import { snowflakeService } from './snowflake.js';
import { dirs, harnessHome } from './paths.js';
import { withLock } from './process.js';
import type { HarnessContext, HarnessService, HarnessServiceName, ServiceStatus } from './types.js';
import { HarnessPrerequisiteMissing } from './types.js';

export * from './types.js';
export { harnessHome } from './paths.js';

export const SERVICES: Record<HarnessServiceName, HarnessService> = {
  docker: dockerService,
  kafka: kafkaService,
  connect: connectService,
  snowflake: snowflakeService,
  'schema-registry': schemaRegistryService,
};
export const ALL_SERVICES: HarnessServiceName[] = ['docker', 'kafka', 'connect', 'snowflake', 'schema-registry'];

export function makeContext(opts: { home?: string; quiet?: boolean } = {}): HarnessContext {
  const home = opts.home ?? harnessHome();
  mkdirSync(home, { recursive: true });
  return {
    home,
    progress: (line) => {
      if (!opts.quiet) process.stderr.write(`[harness] ${line}\n`);
    },
  };
}

/** Names plus everything they depend on, dependencies first. */
export function withDependencies(names: HarnessServiceName[]): HarnessServiceName[] {
  const out: HarnessServiceName[] = [];
  const visit = (n: HarnessServiceName) => {
    if (out.includes(n)) return;
    for (const d of SERVICES[n].dependsOn) visit(d);
    out.push(n);
  };
  names.forEach(visit);
  return out;
}

/** Bring services (and their dependencies) up; returns each one's status. Idempotent. */
export async function up(ctx: HarnessContext, names: HarnessServiceName[] = ALL_SERVICES): Promise<ServiceStatus[]> {
  const result: ServiceStatus[] = [];
  for (const name of withDependencies(names)) {
    const status = await withLock(ctx.home, `up-${name}`, async () => {
      const before = await SERVICES[name].status(ctx);
      if (before.state === 'running' || before.state === 'external') return before;
      const after = await SERVICES[name].up(ctx);
      recordOwnership(ctx, name);
      return after;
    });
    result.push(status);
  }
  return result;
}

/** Stop services in reverse dependency order. Only what the harness started, by pid. */
export async function down(ctx: HarnessContext, names: HarnessServiceName[] = ALL_SERVICES): Promise<void> {
  const order = withDependencies(names).reverse().filter((n) => names.includes(n) || names === ALL_SERVICES);
  for (const name of order) await SERVICES[name].down(ctx);
}

export async function status(ctx: HarnessContext): Promise<Record<HarnessServiceName, ServiceStatus>> {
  const entries = await Promise.all(ALL_SERVICES.map(async (n) => [n, await SERVICES[n].status(ctx)] as const));
  return Object.fromEntries(entries) as Record<HarnessServiceName, ServiceStatus>;
}

/** The variables that point sfpipe at the harness, for the given services. */
export function env(ctx: HarnessContext, names: HarnessServiceName[] = ALL_SERVICES): Record<string, string> {
  return Object.assign({}, ...withDependencies(names).map((n) => SERVICES[n].env(ctx)));
}

// ---- ownership: a test run stops at its end only what it started ---------------

const runId = () => process.env.SFPIPE_TEST_RUN_ID;

function ownershipFile(ctx: HarnessContext, id: string): string {
  return join(dirs(ctx.home).run, `owned-by-${id}`);
}

function recordOwnership(ctx: HarnessContext, name: HarnessServiceName): void {
  const id = runId();
  if (!id) return;
  mkdirSync(dirs(ctx.home).run, { recursive: true });
  appendFileSync(ownershipFile(ctx, id), `${name}\n`);
}

export function ownedBy(ctx: HarnessContext, id: string): HarnessServiceName[] {
  const file = ownershipFile(ctx, id);
  if (!existsSync(file)) return [];
  return [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))] as HarnessServiceName[];
}

export async function downOwned(ctx: HarnessContext, id: string): Promise<void> {
  const owned = ownedBy(ctx, id);
  for (const name of withDependencies(owned).reverse()) if (owned.includes(name)) await SERVICES[name].down(ctx);
  rmSync(ownershipFile(ctx, id), { force: true });
}

// ---- what test files call ------------------------------------------------------

export type HarnessForTests = { ok: true; env: Record<string, string>; ctx: HarnessContext } | { ok: false; reason: string };

/**
 * For a test file: bring up what it needs (once per run; later files reuse it).
 * A missing prerequisite yields {ok:false} with one loud line, so the suite can skip,
 * unless REQUIRE_REAL_SERVICES=1, where it throws and the run fails.
 */
export async function requireServices(names: HarnessServiceName[]): Promise<HarnessForTests> {
  const ctx = makeContext({ quiet: process.env.SFPIPE_HARNESS_VERBOSE !== '1' });
  try {
    await up(ctx, names);
    return { ok: true, env: env(ctx, names), ctx };
  } catch (err) {
    if (err instanceof HarnessPrerequisiteMissing && process.env.REQUIRE_REAL_SERVICES !== '1') {
      const reason = `SKIPPING suites that need ${names.join('+')}: ${err.message} (set REQUIRE_REAL_SERVICES=1 to fail instead)`;
      process.stderr.write(`\n!!! ${reason}\n\n`);
      return { ok: false, reason };
    }
    throw err;
  }
}
