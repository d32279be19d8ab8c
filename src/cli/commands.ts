/** The command table: flags as data, implementation loaded lazily so `--version` stays fast. */
import type { CommandSpec, FlagSpec, ParsedArgs } from './args.js';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type CommandRun = (args: ParsedArgs, io: CliIO) => Promise<number>;

export interface CommandEntry extends CommandSpec {
  load: () => Promise<CommandRun>;
}

const configFlags: FlagSpec[] = [
  { name: 'config', type: 'string', value: 'FILE', description: 'sfpipe.toml to read (default: ./sfpipe.toml, then the user config dir)' },
  { name: 'connection', type: 'string', value: 'NAME', description: 'Snowflake connection for monitoring (connections.toml name)' },
  { name: 'admin-connection', type: 'string', value: 'NAME', description: 'Snowflake connection for setup and cleanup' },
  { name: 'brokers', type: 'string', value: 'HOST:PORT,…', description: 'Kafka bootstrap servers (env SFPIPE_KAFKA_BROKERS)' },
  { name: 'connect-url', type: 'string', value: 'URL', description: 'Kafka Connect REST URL (env SFPIPE_CONNECT_URL)' },
  { name: 'schema-registry-url', type: 'string', value: 'URL', description: 'Schema Registry URL (env SFPIPE_SCHEMA_REGISTRY_URL)' },
  { name: 'docker-host', type: 'string', value: 'URL', description: 'Docker engine (env DOCKER_HOST)' },
  { name: 'compose-project', type: 'string', value: 'NAME', description: 'compose project whose containers to watch (env SFPIPE_COMPOSE_PROJECT)' },
];

const pollFlags: FlagSpec[] = [
  { name: 'refresh', type: 'number', value: 'SECONDS', description: 'metadata refresh interval (default 2)' },
  { name: 'slow-refresh', type: 'number', value: 'SECONDS', description: 'interval of warehouse-bound Snowflake queries (default 0 = only on demand)' },
];

const runbookFlags: FlagSpec[] = [
  { name: 'yes', short: 'y', type: 'boolean', description: 'do not ask for confirmation (except typing the database name for cleanup)' },
  { name: 'dry-run', type: 'boolean', description: 'print every Docker, REST and SQL step that would run (secrets redacted) and change nothing' },
  { name: 'json', type: 'boolean', description: 'machine-readable progress and result as JSON lines' },
  { name: 'read-only', type: 'boolean', description: 'refuse every operation (what the console\'s --read-only does)' },
];

const WAREHOUSE_NOTE = `Snowflake queries and cost:
  every refresh (no warehouse): SHOW TABLES, SHOW STREAMS, SHOW TASKS IN SCHEMA …
  slow cadence or on demand (WAKE A WAREHOUSE): SELECT COUNT(*) FROM <stream> (backlog),
    INFORMATION_SCHEMA.TASK_HISTORY (last run, next run), raw table rows in detail views.
  With --slow-refresh 0 (the default) sfpipe never resumes a warehouse on its own.`;

const lazy = (path: string) => async (): Promise<CommandRun> => ((await import(path)) as { run: CommandRun }).run;

export const COMMANDS: CommandEntry[] = [
  {
    name: 'console',
    summary: 'Open the full-screen console (the default when no command is given).',
    flags: [
      ...configFlags,
      ...pollFlags,
      { name: 'read-only', type: 'boolean', description: 'disable every operation (setup, pause, cleanup …)' },
      { name: 'color', type: 'boolean', description: 'use colour (--no-color or NO_COLOR to disable)' },
    ],
    details: WAREHOUSE_NOTE,
    load: lazy('../commands/console.js'),
  },
  {
    name: 'status',
    summary: 'Print the pipeline picture once: sources, topics, rates and the funnel. Exit 0 when every configured source is healthy.',
    flags: [
      ...configFlags,
      ...pollFlags,
      { name: 'json', type: 'boolean', description: 'versioned JSON for scripts' },
      { name: 'watch', short: 'w', type: 'boolean', description: 'refresh until interrupted' },
    ],
    details: WAREHOUSE_NOTE,
    load: lazy('../commands/status.js'),
  },
  {
    name: 'doctor',
    summary: 'Check every prerequisite and say what to do about each missing one.',
    flags: [...configFlags, { name: 'json', type: 'boolean', description: 'one JSON object per check' }],
    load: lazy('../commands/doctor.js'),
  },
  {
    name: 'keys',
    summary: 'Generate the encrypted PKCS#8 RSA key pair the pipeline user authenticates with.',
    flags: [
      { name: 'out', type: 'string', value: 'DIR', description: 'where to write rsa_key.p8 and rsa_key.pub (default ./keys)' },
      { name: 'force', type: 'boolean', description: 'overwrite an existing pair' },
    ],
    details: 'The passphrase is read from PRIVATE_KEY_PASSPHRASE (or SNOWFLAKE_PRIVATE_KEY_PASSPHRASE), else asked for without echo.',
    load: lazy('../commands/keys.js'),
  },
  {
    name: 'setup',
    summary: 'Run the setup runbook: keys, compose up, topics, Snowflake scripts 01–03, connectors, verify flow.',
    flags: [...configFlags, ...runbookFlags],
    load: lazy('../commands/runbook.js'),
  },
  {
    name: 'pause',
    summary: 'Pause the demo: pause datagen connectors and wait until the sink has committed everything.',
    flags: [...configFlags, ...runbookFlags, { name: 'suspend-tasks', type: 'boolean', description: 'also suspend the Snowflake tasks once the streams are drained' }],
    load: lazy('../commands/runbook.js'),
  },
  {
    name: 'resume',
    summary: 'Resume the demo: resume tasks (if suspended) and the datagen connectors.',
    flags: [...configFlags, ...runbookFlags],
    load: lazy('../commands/runbook.js'),
  },
  {
    name: 'cleanup',
    summary: 'Drop the Snowflake objects (script 05), delete the connectors and take the compose stack down.',
    flags: [
      ...configFlags,
      ...runbookFlags,
      { name: 'volumes', type: 'boolean', description: 'also remove the compose volumes (Kafka data)' },
      { name: 'purge-keys', type: 'boolean', description: 'also delete the generated key pair' },
      { name: 'confirm', type: 'string', value: 'DATABASE', description: 'the database name, typed ahead (needed without a terminal; --yes does not replace it)' },
    ],
    load: lazy('../commands/runbook.js'),
  },
  {
    name: 'action',
    summary: 'Run one operation on one object: pause/resume/restart a connector, suspend/resume/execute a task, stop/start/pause/unpause a container.',
    positionals: ['ACTION', 'TARGET'],
    flags: [...configFlags, ...runbookFlags],
    details: `Without ACTION, lists the operations. Examples:
  sfpipe action connector.pause datagen-orders
  sfpipe action connector.restart-failed snowflake-sink
  sfpipe action task.execute TASK_EXTRACT_AVRO_FROM_ORDERS
  sfpipe action container.unpause sfpipe-connect`,
    load: lazy('../commands/runbook.js'),
  },
  {
    name: 'serve',
    summary: 'Serve the console over SSH to every session, with one set of pollers.',
    flags: [
      ...configFlags,
      ...pollFlags,
      { name: 'listen', type: 'string', value: 'HOST:PORT', description: 'address to listen on (default 127.0.0.1:2222)' },
      { name: 'allow-remote', type: 'boolean', description: 'allow a non-loopback --listen address' },
      { name: 'authorized-keys', type: 'string', value: 'FILE', description: 'public keys allowed to connect (default ~/.ssh/authorized_keys)' },
      { name: 'operators', type: 'string', value: 'FILE', description: 'public keys allowed to run operations (others are read-only viewers)' },
      { name: 'host-key', type: 'string', value: 'FILE', description: 'host key (generated, ed25519, on first start)' },
      { name: 'max-sessions', type: 'number', value: 'N', description: 'maximum concurrent sessions (default 20)' },
      { name: 'idle-timeout', type: 'number', value: 'SECONDS', description: 'close idle sessions after this long (default 1800)' },
    ],
    load: lazy('../commands/serve.js'),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
