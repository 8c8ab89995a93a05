import type { Logger } from './kernel/logger.js';
import { redactJson, redactText } from './redaction/redact.js';

type Level = 'info' | 'warn' | 'error';

/**
 * JSON-lines logger. Every string field goes through redaction so a token or key that
 * slipped into a message is masked before it reaches the log.
 * @example createLogger({ write: (line) => process.stderr.write(line) }).info('listening', { port: 8080 })
 */
export function createLogger(options: { write: (line: string) => void; secrets?: () => readonly string[] }): Logger {
  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    const secrets = options.secrets?.() ?? [];
    const record = { time: new Date().toISOString(), level, msg, ...fields };
    options.write(`${redactText(JSON.stringify(record), secrets)}\n`);
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/**
 * The same logger with these secrets masked in the message and every field: what a check gets,
 * so that a check logging an error from the cluster cannot leak the run's credentials.
 */
export function redactingLogger(base: Logger, secrets: readonly string[]): Logger {
  const redact = (msg: string, fields?: Record<string, unknown>) =>
    [redactText(msg, secrets), fields === undefined ? undefined : redactJson(fields, secrets)] as const;
  return {
    info: (msg, fields) => base.info(...redact(msg, fields)),
    warn: (msg, fields) => base.warn(...redact(msg, fields)),
    error: (msg, fields) => base.error(...redact(msg, fields)),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
