export { PROVIDER_ADVICE } from './advice.js';
export { ENCRYPTION_RBAC, secretsEncryption } from './check.js';
export type { StrategyName } from './strategy.js';
