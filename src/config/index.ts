export { loadConfig, userConfigFile, PROJECT_FILE, type LoadConfigOptions, type LoadedConfig } from './load.js';
export { DEFAULT_DOCKER_HOST, FIELDS, TOPICS, type ConnectorVersion, type SfpipeConfig, type SnowflakeConnection, type SnowflakeObjects } from './schema.js';
export { toConnectionOptions, type ToOptionsSettings } from './snowflake-options.js';
export { isSecretKey, pemBody, redact, redactText, MASK } from './redact.js';
export { Secret } from './secret.js';
export { describeConfig, describeConnection } from './describe.js';
export { assertOwnerOnly } from './permissions.js';
