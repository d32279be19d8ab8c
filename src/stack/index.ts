export * from './compose.js';
export * from './composeCheck.js';
export * from './roles.js';
export * from './services.js';
export * from './versions.js';
