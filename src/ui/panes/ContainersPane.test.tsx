import { describe, expect, it } from 'vitest';
import type { ContainerInfo, SourceState } from '../../domain/model.js';
import { container, down, err, healthyState, ok, stale, T0 } from '../test-utils/fixtures.js';
import { renderInConsole } from '../test-utils/render.js';
import { ContainersPane } from './ContainersPane.js';

const pane = <ContainersPane width={100} height={14} focused />;
const state = (docker: SourceState<ContainerInfo[]>) => healthyState({ docker });

describe('Containers pane', () => {
  it('healthy: state, health, uptime, CPU and memory per container', async () => {
    const r = await renderInConsole(pane, { state: healthyState() });
    const row = r.lines().find((l) => l.includes('broker'))!;
    expect(row).toMatch(/broker\s+● running\s+healthy\s+1h 2m\s+3\.2%\s+512MiB \/ 2\.0GiB/);
    expect(r.frame()).toContain('● ok 2s');
  });

  it('uptime follows the clock tick', async () => {
    const r = await renderInConsole(pane, { state: healthyState() });
    await r.tick(60_000);
    expect(r.frame()).toContain('1h 3m');
  });

  it('empty: says there are no containers and how to start them', async () => {
    const r = await renderInConsole(pane, { state: state(ok([])) });
    expect(r.frame()).toContain('No containers in the compose project yet.');
    expect(r.frame()).toContain('sfpipe setup');
  });

  it('Docker down with last-known data: keeps the rows and says how old they are', async () => {
    const r = await renderInConsole(pane, { state: state(stale([container('broker')], T0 - 45_000, err('timeout', 'docker', 'no answer in 5s'))) });
    expect(r.frame()).toContain('broker');
    expect(r.frame()).toContain('Docker engine timed out: no answer in 5s — showing data from 45s ago.');
    expect(r.frame()).toContain('▲ stale 45s old (timeout)');
  });

  it('first run, no engine: names what is missing and what fixes it', async () => {
    const r = await renderInConsole(pane, { state: state(down(err('unreachable', 'docker', 'connect ENOENT /var/run/docker.sock'))) });
    expect(r.frame()).toContain('Docker engine unreachable: connect ENOENT /var/run/docker.sock');
    expect(r.frame()).toContain('sfpipe doctor');
    expect(r.frame()).not.toContain('NAME');
  });

  it('unknown states as-is, exit codes, paused; very long names cut with … inside the pane', async () => {
    const long = 'a-container-with-a-name-far-longer-than-any-column-could-ever-hold-in-a-terminal';
    const r = await renderInConsole(pane, {
      state: state(ok([container('odd', { state: 'hibernating' }), container('gone', { state: 'exited', exitCode: 137 }), container('held', { state: 'paused' }), container(long)])),
    });
    expect(r.frame()).toContain('? hibernating');
    expect(r.frame()).toContain('✗ exited (137)');
    expect(r.frame()).toContain('‖ paused');
    expect(r.frame()).toMatch(/a-container-[a-z-]*… /);
    for (const line of r.lines()) expect([...line].length).toBeLessThanOrEqual(100);
  });
});
