/**
 * What sfpipe's code expects of docker-compose.yml: service names, the role label on each,
 * fixed container names, images and the ports published on 127.0.0.1. The compose file is
 * checked against this table by test/integration/compose-config.test.ts so the two cannot drift.
 */
import { SfpipeError } from '../domain/errors.js';
import { CONFLUENT_PLATFORM_VERSION, CONTROL_CENTER_VERSION } from './versions.js';

export type StackRole = 'broker' | 'schema-registry' | 'connect' | 'control-center' | 'prometheus' | 'alertmanager';

export const STACK_ROLES: readonly StackRole[] = ['broker', 'schema-registry', 'connect', 'control-center', 'prometheus', 'alertmanager'];

/** Label every service carries so roles are read, not guessed from names. */
export const ROLE_LABEL = 'io.sfpipe.role';
/** Labels Docker Compose (v1 and v2) puts on every container it creates. */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** Compose profile that enables the optional web UI (Control Center and its Prometheus/Alertmanager). */
export const CONTROL_CENTER_PROFILE = 'control-center';

export interface PublishedPort {
  /** port on 127.0.0.1 of the Docker host */
  host: number;
  /** port inside the container */
  container: number;
}

export interface StackService {
  /** compose service name, also the host name inside the compose network */
  service: string;
  role: StackRole;
  /** fixed container_name, identical under docker-compose v1 and `docker compose` v2 */
  containerName: string;
  image: string;
  /** built from docker/<dir> instead of pulled as is */
  buildContext: string | undefined;
  ports: readonly PublishedPort[];
  /** set when the service only starts with `--profile <name>` */
  profile: string | undefined;
}

const cp = (name: string) => `confluentinc/${name}:${CONFLUENT_PLATFORM_VERSION}`;
const c3 = (name: string) => `confluentinc/${name}:${CONTROL_CENTER_VERSION}`;

export const STACK_SERVICES: readonly StackService[] = [
  { service: 'broker', role: 'broker', containerName: 'sfpipe-broker', image: cp('cp-kafka'), buildContext: undefined, ports: [{ host: 9092, container: 9092 }], profile: undefined },
  { service: 'schema-registry', role: 'schema-registry', containerName: 'sfpipe-schema-registry', image: cp('cp-schema-registry'), buildContext: undefined, ports: [{ host: 8081, container: 8081 }], profile: undefined },
  { service: 'connect', role: 'connect', containerName: 'sfpipe-connect', image: `sfpipe/connect:${CONFLUENT_PLATFORM_VERSION}`, buildContext: 'docker/connect', ports: [{ host: 8083, container: 8083 }], profile: undefined },
  { service: 'control-center', role: 'control-center', containerName: 'sfpipe-control-center', image: c3('cp-enterprise-control-center-next-gen'), buildContext: undefined, ports: [{ host: 9021, container: 9021 }], profile: CONTROL_CENTER_PROFILE },
  { service: 'prometheus', role: 'prometheus', containerName: 'sfpipe-prometheus', image: c3('cp-enterprise-prometheus'), buildContext: undefined, ports: [], profile: CONTROL_CENTER_PROFILE },
  { service: 'alertmanager', role: 'alertmanager', containerName: 'sfpipe-alertmanager', image: c3('cp-enterprise-alertmanager'), buildContext: undefined, ports: [], profile: CONTROL_CENTER_PROFILE },
];

/** The services a plain `up` starts; the pipeline needs all of them. */
export const CORE_SERVICES: readonly StackService[] = STACK_SERVICES.filter((s) => s.profile === undefined);

export function serviceOfRole(role: StackRole): StackService {
  const found = STACK_SERVICES.find((s) => s.role === role);
  // STACK_SERVICES has one entry per role; a miss is a programming error.
  if (!found) throw new SfpipeError('internal', 'compose', `no stack service has role ${role}`);
  return found;
}

/** Addresses as seen from inside the compose network (connector configs, worker settings). */
export const IN_NETWORK = {
  kafkaBootstrap: 'broker:29092',
  schemaRegistryUrl: 'http://schema-registry:8081',
  connectUrl: 'http://connect:8083',
} as const;

/** Defaults that point sfpipe at the stack from the Docker host; loopback only. */
export const HOST_ENDPOINTS = {
  kafkaBrokers: '127.0.0.1:9092',
  schemaRegistryUrl: 'http://127.0.0.1:8081',
  connectUrl: 'http://127.0.0.1:8083',
  controlCenterUrl: 'http://127.0.0.1:9021',
} as const;
