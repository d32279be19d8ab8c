import { describe, expect, it } from 'vitest';
import { dockerTime, durationAtMostMs, listSignature, needsInspect, parseListedStatus, type InspectedDetails } from './status.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

describe('the Status text of the container list', () => {
  it.each([
    ['Up 5 minutes', { health: undefined, exitCode: undefined, since: 'start', sinceAtMostMs: 6 * M }],
    ['Up 2 seconds (health: starting)', { health: 'starting', exitCode: undefined, since: 'start', sinceAtMostMs: 3 * S }],
    ['Up About a minute (healthy)', { health: 'healthy', exitCode: undefined, since: 'start', sinceAtMostMs: 2 * M }],
    ['Up 3 hours (unhealthy)', { health: 'unhealthy', exitCode: undefined, since: 'start', sinceAtMostMs: 4 * H }],
    ['Up Less than a second (Paused)', { health: undefined, exitCode: undefined, since: 'start', sinceAtMostMs: S }],
    ['Exited (3) 2 seconds ago', { health: undefined, exitCode: 3, since: 'finish', sinceAtMostMs: 3 * S }],
    ['Exited (137) About an hour ago', { health: undefined, exitCode: 137, since: 'finish', sinceAtMostMs: 2 * H }],
    ['Restarting (1) 4 seconds ago', { health: undefined, exitCode: 1, since: 'finish', sinceAtMostMs: 5 * S }],
    ['Created', { health: undefined, exitCode: undefined, since: undefined, sinceAtMostMs: undefined }],
    ['Removal In Progress', { health: undefined, exitCode: undefined, since: undefined, sinceAtMostMs: undefined }],
    ['', { health: undefined, exitCode: undefined, since: undefined, sinceAtMostMs: undefined }],
  ])('%j', (text, want) => {
    expect(parseListedStatus(text)).toEqual(want);
  });

  it('reads every HumanDuration unit, singular and plural, as an upper bound', () => {
    expect(durationAtMostMs('1 second')).toBe(2 * S);
    expect(durationAtMostMs('59 minutes')).toBe(60 * M);
    expect(durationAtMostMs('47 hours')).toBe(48 * H);
    expect(durationAtMostMs('3 days')).toBe(4 * 24 * H);
    expect(durationAtMostMs('2 weeks')).toBe(3 * 7 * 24 * H);
    expect(durationAtMostMs('5 months')).toBe(6 * 30 * 24 * H);
    expect(durationAtMostMs('2 years')).toBe(3 * 365 * 24 * H);
    expect(durationAtMostMs('a while')).toBeUndefined();
  });
});

describe('when to inspect again', () => {
  const now = 10 * H;
  const details = (over: Partial<InspectedDetails> = {}): InspectedDetails => ({
    signature: listSignature('running', parseListedStatus('Up 5 minutes')),
    startedAt: now - 5 * M - 10 * S,
    finishedAt: undefined,
    restartCount: 0,
    exitCode: undefined,
    health: undefined,
    tty: false,
    ...over,
  });

  it('inspects a container it has not seen', () => {
    expect(needsInspect(undefined, 'running', parseListedStatus('Up 5 minutes'), now)).toBe(true);
  });

  it('does not inspect again while nothing changed, even as the uptime text moves on', () => {
    expect(needsInspect(details(), 'running', parseListedStatus('Up 5 minutes'), now)).toBe(false);
    expect(needsInspect(details(), 'running', parseListedStatus('Up 6 minutes'), now + M)).toBe(false);
  });

  it('inspects again on another state, health or exit code', () => {
    expect(needsInspect(details(), 'paused', parseListedStatus('Up 5 minutes (Paused)'), now)).toBe(true);
    expect(needsInspect(details(), 'running', parseListedStatus('Up 5 minutes (unhealthy)'), now)).toBe(true);
    const exited = details({ signature: listSignature('exited', parseListedStatus('Exited (0) 1 second ago')), finishedAt: now - S });
    expect(needsInspect(exited, 'exited', parseListedStatus('Exited (1) 1 second ago'), now)).toBe(true);
  });

  it('inspects again when the uptime is shorter than the inspected start allows: it restarted in between', () => {
    expect(needsInspect(details(), 'running', parseListedStatus('Up 3 seconds'), now)).toBe(true);
    // even soon after the previous start: inspected 2.5 s ago, now up for less than a second
    const young = details({ startedAt: now - 2_500 });
    expect(needsInspect(young, 'running', parseListedStatus('Up 2 seconds'), now)).toBe(false);
    expect(needsInspect(young, 'running', parseListedStatus('Up Less than a second'), now)).toBe(true);
  });

  it('inspects again when an exited container finished later than the one inspected', () => {
    const exited = details({ signature: listSignature('exited', parseListedStatus('Exited (3) 2 minutes ago')), finishedAt: now - 2 * M - 5 * S });
    expect(needsInspect(exited, 'exited', parseListedStatus('Exited (3) 2 minutes ago'), now)).toBe(false);
    expect(needsInspect(exited, 'exited', parseListedStatus('Exited (3) 4 seconds ago'), now)).toBe(true);
  });
});

describe('Docker times', () => {
  it('reads RFC 3339 with nanoseconds and treats the zero time as never', () => {
    expect(dockerTime('2024-01-01T10:00:00.123456789Z')).toBe(Date.UTC(2024, 0, 1, 10, 0, 0, 123));
    expect(dockerTime('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(dockerTime(undefined)).toBeUndefined();
    expect(dockerTime('soon')).toBeUndefined();
  });
});
