export * from './classes.js';
export * from './load.js';
export * from './placeholders.js';
export * from './render.js';
export { checkConnector } from './schema.js';
export type { CheckedConnector, ConnectorIssue } from './schema.js';
export { isSecretKey, redactConfig } from './secrets.js';
