/**
 * Which part of the stack a container is. The role label decides; the compose service label
 * and then the container name are fallbacks for containers created before the label existed.
 */
import { COMPOSE_PROJECT_NAME } from './compose.js';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL, ROLE_LABEL, STACK_ROLES, STACK_SERVICES } from './services.js';
import type { StackRole } from './services.js';

export interface ContainerIdentity {
  /** container name as Docker reports it, with or without the leading '/' */
  name: string;
  labels: Readonly<Record<string, string>>;
}

function isRole(value: string | undefined): value is StackRole {
  return value !== undefined && (STACK_ROLES as readonly string[]).includes(value);
}

/** True when the container belongs to the given compose project (default: sfpipe's). */
export function belongsToStack(labels: Readonly<Record<string, string>>, project: string = COMPOSE_PROJECT_NAME): boolean {
  return labels[COMPOSE_PROJECT_LABEL] === project;
}

export function roleOfContainer(container: ContainerIdentity, project: string = COMPOSE_PROJECT_NAME): StackRole | undefined {
  const labelled = container.labels[ROLE_LABEL];
  if (isRole(labelled)) return labelled;
  const service = container.labels[COMPOSE_SERVICE_LABEL];
  if (service !== undefined && belongsToStack(container.labels, project)) {
    const byService = STACK_SERVICES.find((s) => s.service === service);
    if (byService) return byService.role;
  }
  return roleFromName(container.name.replace(/^\//, ''), project);
}

// container_name (sfpipe-broker), v1 default (sfpipe_broker_1), v2 default (sfpipe-broker-1)
function roleFromName(name: string, project: string): StackRole | undefined {
  for (const s of STACK_SERVICES) {
    if (name === s.containerName) return s.role;
    for (const sep of ['_', '-']) {
      const prefix = `${project}${sep}${s.service}${sep}`;
      if (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))) return s.role;
    }
  }
  return undefined;
}
