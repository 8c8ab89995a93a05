export { KubeconfigError, REMEDY } from './errors.js';
export { toLoadOptions } from './load-options.js';
export { redactText, secretsOf } from './redact.js';
export { type IntakeResult, normalizeServerUrl, sanitizeKubeconfig } from './sanitize.js';
export type { SanitizedKubeconfig } from './types.js';
