import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { type Config, ConfigError, loadConfig } from './config.js';
import { startRetention, type Ticker } from './engine/service/retention.js';
import { requestListener } from './http/listener.js';
import { capConnectionsPerClient, serverOptions } from './http/server-limits.js';
import { messageOf } from './kernel/text.js';
import { createService, type ServiceIo } from './service.js';

/**
 * Starts kubeproof: the service (see service.ts) behind an HTTP listener. Resolves once
 * listening; `stop()` stops accepting connections, drains in-flight audits (their cleanup runs)
 * and closes the database.
 */
export async function startServer(config: Config, io: ServiceIo & { retentionTicker?: Ticker } = {}) {
  const service = createService(config, io);
  const { app, logger } = service;
  // KUBEPROOF_RETENTION_DAYS: the background sweep of old finished runs (none when unset).
  const retention =
    config.retentionDays === undefined
      ? undefined
      : startRetention({
          store: service.store,
          clock: service.clock,
          logger,
          retentionDays: config.retentionDays,
          ...(io.retentionTicker ? { ticker: io.retentionTicker } : {}),
        });
  const server = createServer(serverOptions(config.serverLimits), requestListener(app, config.host, service.fastPath));
  capConnectionsPerClient(server, config.serverLimits.maxConnectionsPerClient);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info('kubeproof listening', {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    auth: config.apiTokens.length > 0,
  });
  const stop = async () => {
    // Stop accepting connections first; open event streams end as their runs reach a final status.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    retention?.stop();
    await service.close();
    await closed;
  };
  return { port, stop };
}

const SERVER_USAGE = `Usage: npm start   (or: node dist/server.js)

Runs the kubeproof service. Configured by environment variables only (README, "Configuration"):
PORT, HOST, KUBEPROOF_DB, KUBEPROOF_API_TOKENS, KUBEPROOF_ALLOWED_TARGETS, KUBEPROOF_MAX_CONCURRENT_AUDITS,
KUBEPROOF_AUDIT_DEADLINE_SECONDS, KUBEPROOF_RUNBOOK, ... — invalid values stop it with a message.
SIGTERM or SIGINT: stop accepting requests, cancel running audits (their cleanup runs), exit 0.
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(SERVER_USAGE);
    return;
  }
  if (args.length > 0) {
    process.stderr.write(
      `kubeproof: unexpected argument "${args[0]}": the service takes its settings from the environment\n\n${SERVER_USAGE}`,
    );
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kubeproof: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { stop } = await startServer(config);
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`kubeproof: ${messageOf(err)}\n`);
    process.exit(1);
  });
}
