import { LOG_LEVELS, type Logger, type LogLevel } from './kernel/logger.js';
import { redactJson, redactText } from './redaction/redact.js';

/**
 * JSON-lines logger. Every string field goes through redaction so a token or key that
 * slipped into a message is masked before it reaches the log. Lines below `level`
 * (KUBEPROOF_LOG_LEVEL, default info) are dropped.
 * @example createLogger({ write: (line) => process.stderr.write(line), level: 'warn' }).info('listening', { port: 8080 })
 */
export function createLogger(options: {
  write: (line: string) => void;
  secrets?: () => readonly string[];
  level?: LogLevel;
}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const emit = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const secrets = options.secrets?.() ?? [];
    const record = { time: new Date().toISOString(), level, msg, ...fields };
    options.write(`${redactText(JSON.stringify(record), secrets)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
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
    debug: (msg, fields) => base.debug?.(...redact(msg, fields)),
    info: (msg, fields) => base.info(...redact(msg, fields)),
    warn: (msg, fields) => base.warn(...redact(msg, fields)),
    error: (msg, fields) => base.error(...redact(msg, fields)),
  };
}

/**
 * The same logger adding `bound` to every line (the run's logger: `runId` on each line, whoever
 * writes it). The bound fields win over a line's own: a check cannot log under another run's id.
 */
export function withFields(base: Logger, bound: Record<string, unknown>): Logger {
  const merge = (fields?: Record<string, unknown>) => ({ ...fields, ...bound });
  return {
    debug: (msg, fields) => base.debug?.(msg, merge(fields)),
    info: (msg, fields) => base.info(msg, merge(fields)),
    warn: (msg, fields) => base.warn(msg, merge(fields)),
    error: (msg, fields) => base.error(msg, merge(fields)),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
