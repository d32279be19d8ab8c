import { describe, expect, it } from 'vitest';
import { COMPOSE_PROJECT_NAME, composeArgs } from './compose.js';
import { belongsToStack, roleOfContainer } from './roles.js';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL, ROLE_LABEL, STACK_SERVICES, serviceOfRole } from './services.js';

describe('roleOfContainer', () => {
  it('reads the role label first, even against a misleading name', () => {
    expect(roleOfContainer({ name: '/sfpipe-broker', labels: { [ROLE_LABEL]: 'connect' } })).toBe('connect');
  });

  it('falls back to the compose service label of our project only', () => {
    const labels = { [COMPOSE_PROJECT_LABEL]: 'sfpipe', [COMPOSE_SERVICE_LABEL]: 'schema-registry' };
    expect(roleOfContainer({ name: '/whatever', labels })).toBe('schema-registry');
    expect(roleOfContainer({ name: '/whatever', labels: { ...labels, [COMPOSE_PROJECT_LABEL]: 'other' } })).toBeUndefined();
  });

  it('recognises container_name and the v1 and v2 default names', () => {
    for (const s of STACK_SERVICES) {
      expect(roleOfContainer({ name: `/${s.containerName}`, labels: {} })).toBe(s.role);
      expect(roleOfContainer({ name: `sfpipe_${s.service}_1`, labels: {} })).toBe(s.role);
      expect(roleOfContainer({ name: `sfpipe-${s.service}-2`, labels: {} })).toBe(s.role);
    }
    expect(roleOfContainer({ name: 'sfpipe-broker-x', labels: {} })).toBeUndefined();
    expect(roleOfContainer({ name: 'other_broker_1', labels: {} })).toBeUndefined();
    expect(roleOfContainer({ name: 'demo-broker-1', labels: {} }, 'demo')).toBe('broker');
    expect(roleOfContainer({ name: 'x', labels: { [ROLE_LABEL]: 'not-a-role' } })).toBeUndefined();
  });

  it('belongsToStack uses the compose project label', () => {
    expect(belongsToStack({ [COMPOSE_PROJECT_LABEL]: COMPOSE_PROJECT_NAME })).toBe(true);
    expect(belongsToStack({})).toBe(false);
  });
});

describe('stack tables', () => {
  it('has one service per role, unique names and host ports', () => {
    expect(new Set(STACK_SERVICES.map((s) => s.role)).size).toBe(STACK_SERVICES.length);
    expect(new Set(STACK_SERVICES.map((s) => s.containerName)).size).toBe(STACK_SERVICES.length);
    const ports = STACK_SERVICES.flatMap((s) => s.ports.map((p) => p.host));
    expect(new Set(ports).size).toBe(ports.length);
    expect(serviceOfRole('connect').ports).toEqual([{ host: 8083, container: 8083 }]);
    expect(serviceOfRole('broker').ports).toEqual([{ host: 9092, container: 9092 }]);
    expect(serviceOfRole('schema-registry').ports).toEqual([{ host: 8081, container: 8081 }]);
  });

  it('composeArgs always names the project, and adds the profile on request', () => {
    expect(composeArgs({ file: '/p/docker-compose.yml' })).toEqual(['-f', '/p/docker-compose.yml', '-p', 'sfpipe']);
    expect(composeArgs({ file: 'f', project: 'demo', withControlCenter: true })).toEqual(['-f', 'f', '-p', 'demo', '--profile', 'control-center']);
  });
});
