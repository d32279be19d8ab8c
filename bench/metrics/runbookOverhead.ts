/**
 * Metric 8 — setup runbook overhead. The real setup runbook (src/runbooks) on the test stack of
 * the runbook tests (test/fixtures/stack: busybox compose services, FileStream connectors, the
 * scripts the Snowflake stand-in can run) against the harness, from a clean slate. Every call
 * the runbook makes into the underlying tools — the compose runner (docker-compose), the
 * Docker, Kafka, Connect and Snowflake services, the admin SQL session — is timed through a
 * wrapper, as is every wait the runbook sleeps through on its clock (polling for healthy
 * containers, watching records flow) and the key-pair step (what `openssl genrsa` would be).
 * Overhead = wall time − the union of those intervals, relative to that union: what sfpipe
 * itself adds (planning, checks' own logic, journal, events, reporting) on top.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../src/domain/clock.js';
import { systemClock } from '../../src/domain/clock.js';
import { cleanupRunbook } from '../../src/runbooks/cleanup.js';
import { runRunbook } from '../../src/runbooks/engine.js';
import type { RunbookEnv } from '../../src/runbooks/env.js';
import { setupRunbook } from '../../src/runbooks/setup.js';
import type { RunbookResult } from '../../src/runbooks/types.js';
import { isUnconfigured, type Services } from '../../src/services/types.js';
import { createTestStack, removeStackDir } from '../../test/fixtures/stack/testStack.js';
import { unionLength, type Interval } from '../lib/intervals.js';
import { measured, notMeasured, type MetricResult } from '../lib/result.js';
import type { BenchStack } from '../lib/stack.js';
import { median, round } from '../lib/stats.js';

interface Recorder {
  calls: Interval[];
  waits: Interval[];
  byCall: Map<string, number>;
}

/** The object with every promise-returning method timed into rec.calls. */
function timed<T extends object>(obj: T, label: string, rec: Recorder): T {
  return new Proxy(obj, {
    get(target, prop, _receiver) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const r = (v as (...a: unknown[]) => unknown).apply(target, args);
        if (r instanceof Promise) {
          const done = () => {
            const t1 = performance.now();
            rec.calls.push([t0, t1]);
            const key = `${label}.${String(prop)}`;
            rec.byCall.set(key, (rec.byCall.get(key) ?? 0) + (t1 - t0));
          };
          return r.then(
            (x: unknown) => {
              done();
              return x;
            },
            (e: unknown) => {
              done();
              throw e;
            },
          );
        }
        return r;
      };
    },
  });
}

/** A clock whose timers, when they fire, are recorded as waits (a timer cleared early is a call timeout, not a wait). */
function timedClock(clock: Clock, rec: Recorder): Clock {
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms) => {
      const t0 = performance.now();
      return clock.setTimeout(() => {
        rec.waits.push([t0, performance.now()]);
        fn();
      }, ms);
    },
    clearTimeout: (h) => clock.clearTimeout(h),
  };
}

function instrument(env: RunbookEnv, rec: Recorder): RunbookEnv {
  const s = env.services;
  const wrap = <K extends 'docker' | 'kafka' | 'connect' | 'snowflake'>(k: K): Services[K] => (isUnconfigured(s[k]) ? s[k] : (timed(s[k] as object, k, rec) as Services[K]));
  const services: Services = { docker: wrap('docker'), kafka: wrap('kafka'), connect: wrap('connect'), snowflake: wrap('snowflake'), close: () => s.close() };
  const open = env.openAdminSql;
  return {
    ...env,
    services,
    compose: isUnconfigured(env.compose) ? env.compose : timed(env.compose, 'compose', rec),
    openAdminSql: typeof open === 'function' ? () => timed(open(), 'sql', rec) : open,
    clock: timedClock(env.clock, rec),
  };
}

interface RunFigures {
  wallMs: number;
  underlyingMs: number;
  callsMs: number;
  waitsMs: number;
  keysMs: number;
  overheadPercent: number;
  steps: { id: string; status: string; ms: number | undefined }[];
  topCalls: [string, number][];
}

async function oneRun(harnessEnv: Record<string, string>): Promise<RunFigures> {
  const stack = createTestStack(harnessEnv, `bench${randomUUID().slice(0, 6)}`);
  const rec: Recorder = { calls: [], waits: [], byCall: new Map() };
  try {
    const env = instrument(stack.env, rec);
    const t0 = performance.now();
    const result: RunbookResult = await runRunbook(setupRunbook(env), { clock: env.clock });
    const t1 = performance.now();
    if (result.outcome !== 'completed') throw new Error(`setup did not complete: ${result.stoppedAt ?? ''} ${result.error?.message ?? ''}`);
    // the key pair is made in-process (crypto): counted as the command it replaces
    const keys = result.steps.find((s) => s.id === 'keys');
    const keysMs = keys?.durationMs ?? 0;
    const keyInterval: Interval[] = [];
    // place the keys step at its real time: it is the first step, so it starts at t0 plus planning
    const firstCall = Math.min(...rec.calls.map((c) => c[0]), t1);
    if (keysMs > 0) keyInterval.push([firstCall - keysMs, firstCall]);
    const underlying = unionLength([...rec.calls, ...rec.waits, ...keyInterval]);
    const wall = t1 - t0;
    return {
      wallMs: wall,
      underlyingMs: underlying,
      callsMs: unionLength(rec.calls),
      waitsMs: unionLength(rec.waits),
      keysMs,
      overheadPercent: ((wall - underlying) / underlying) * 100,
      steps: result.steps.map((s) => ({ id: s.id, status: s.status, ms: s.durationMs })),
      topCalls: [...rec.byCall].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => [k, round(v, 0)]),
    };
  } finally {
    await runRunbook(cleanupRunbook(stack.env, { volumes: true, purgeKeys: true }), { clock: systemClock }).catch(() => undefined);
    await stack.close().catch(() => undefined);
    removeStackDir(stack);
  }
}

export async function runbookOverhead(_stack: BenchStack, harnessEnv: Record<string, string>, runs = 1): Promise<MetricResult> {
  const name = '8 setup runbook overhead over its underlying commands';
  const goal = { op: '<=' as const, value: 5 };
  const missing = ['DOCKER_HOST', 'SFPIPE_KAFKA_BROKERS', 'SFPIPE_CONNECT_URL', 'SNOWFLAKE_PORT'].filter((k) => !harnessEnv[k]);
  if (missing.length) return notMeasured(name, '%', goal, `the harness lacks ${missing.join(', ')}`);
  const figures: RunFigures[] = [];
  for (let i = 0; i < runs; i++) figures.push(await oneRun(harnessEnv));
  const f = figures[Math.floor(figures.length / 2)]!;
  const overheads = figures.map((x) => x.overheadPercent);
  return measured(
    name,
    round(median(overheads), 2),
    '%',
    goal,
    `median of ${runs} first runs of setup on the test stack (busybox compose, FileStream connectors, Snowflake stand-in); a run: wall ${round(f.wallMs / 1000, 2)} s, of which underlying ${round(f.underlyingMs / 1000, 2)} s ` +
      `(calls ${round(f.callsMs / 1000, 2)} s, waits ${round(f.waitsMs / 1000, 2)} s, key pair ${round(f.keysMs / 1000, 2)} s), sfpipe's own ${round((f.wallMs - f.underlyingMs) / 1000, 3)} s; ` +
      `steps ${f.steps.map((s) => `${s.id} ${s.status} ${s.ms === undefined ? '' : `${round(s.ms / 1000, 1)}s`}`).join(', ')}; slowest calls ${f.topCalls.map(([k, v]) => `${k} ${v} ms`).join(', ')}`,
    { runs: figures.map((x) => ({ ...x, wallMs: round(x.wallMs, 1), underlyingMs: round(x.underlyingMs, 1), overheadPercent: round(x.overheadPercent, 3) })) },
  );
}
