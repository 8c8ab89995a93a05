/**
 * The package's programmatic entry (`import { startServer } from 'kubeproof'`): the same pieces
 * `npm start` and the `kubeproof` command use. Everything else under dist/ is internal.
 */
export { type AppDeps, createApp } from './app.js';
export { runCli } from './cli/audit.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { startServer } from './server.js';
