export { cidrContains, intToIp, ipToInt, parseCidr } from './allocators.js';
export * from './errors.js';
export { createMemoryStore, MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { nameSuffixAlphabet, newUid, nowTimestamp, randomSuffix } from './names.js';
export { applyPatch, jsonPatch, mergePatch, type PatchType, patchTypeOf, strategicMergePatch } from './patch.js';
export {
  apiVersionOf,
  findResource,
  groupResource,
  groupVersions,
  type ResourceDef,
  resourceDefs,
  type SubresourceDef,
  storedResource,
} from './resources.js';
export { fieldValue, labelSelectorObjectMatcher, parseFieldSelector, parseLabelSelector } from './selectors.js';
