import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { describeEndpoint, dockerEndpoint } from './host.js';

describe('DOCKER_HOST', () => {
  it('takes a unix socket and loopback tcp', () => {
    expect(dockerEndpoint('unix:///var/run/docker.sock')).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerEndpoint('tcp://127.0.0.1:2376')).toEqual({ host: '127.0.0.1', port: 2376 });
    expect(dockerEndpoint('tcp://localhost')).toEqual({ host: 'localhost', port: 2375 });
    expect(dockerEndpoint('tcp://[::1]:2375')).toEqual({ host: '::1', port: 2375 });
    expect(describeEndpoint(dockerEndpoint('tcp://[::1]:2375'))).toBe('tcp://[::1]:2375');
  });

  it.each(['tcp://10.0.0.5:2375', 'ssh://me@build-box', 'unix://relative.sock', 'docker.sock', 'npipe:////./pipe/docker_engine'])('refuses %s, naming the setting', (value) => {
    let caught: unknown;
    try {
      dockerEndpoint(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SfpipeError);
    expect(caught).toMatchObject({ kind: 'invalid-input', source: 'docker', location: 'docker.host' });
  });
});
