import { describeProfileMatrix } from './support/profile-matrix.js';

// One shard of the profile × fault matrix (support/profile-matrix.ts), so vitest's workers share it.
describeProfileMatrix(2);
