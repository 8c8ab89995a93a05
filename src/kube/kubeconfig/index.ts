export { KubeconfigError, REMEDY } from './errors.js';
export { toLoadOptions } from './load-options.js';
export { type IntakeResult, normalizeServerUrl, sanitizeKubeconfig } from './sanitize.js';
export { secretsOf } from './secrets.js';
export type { SanitizedKubeconfig } from './types.js';
