import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { engineMessage, toDockerError } from './errors.js';

const httpError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: { message } });

describe('Docker errors', () => {
  it('keeps the engine\'s own message and maps the status', () => {
    const err = toDockerError(httpError(409, 'Container abc is not running'), 'pause abc');
    expect(err).toMatchObject({ kind: 'conflict', source: 'docker', message: 'pause abc: Container abc is not running (HTTP 409)' });
    expect(toDockerError(httpError(404, 'No such container: x'), 'stop x').kind).toBe('not-found');
    expect(toDockerError(httpError(500, 'OCI runtime failed'), 'start x').kind).toBe('bad-response');
  });

  it('strips dockerode\'s prefix when there is no JSON message', () => {
    expect(engineMessage(Object.assign(new Error('(HTTP code 500) server error - boom '), { statusCode: 500 }))).toBe('boom');
  });

  it('turns a missing or refusing socket into unreachable with a hint, and EACCES into auth', () => {
    const gone = toDockerError(Object.assign(new Error('connect ENOENT /x.sock'), { code: 'ENOENT' }), 'list containers', 'unix:///x.sock');
    expect(gone).toMatchObject({ kind: 'unreachable', message: 'list containers: no Docker engine answers at unix:///x.sock: connect ENOENT /x.sock' });
    expect(gone.hint).toMatch(/DOCKER_HOST/);
    expect(toDockerError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'x').kind).toBe('unreachable');
    expect(toDockerError(Object.assign(new Error('connect EACCES'), { code: 'EACCES' }), 'x').kind).toBe('auth');
  });

  it('passes an SfpipeError through', () => {
    const original = new SfpipeError('timeout', 'docker', 'slow');
    expect(toDockerError(original, 'x')).toBe(original);
  });
});
