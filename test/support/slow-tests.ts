/**
 * Tests that install the package or perform the Dockerfile's steps build better-sqlite3 from
 * source (minutes on two cores): they run in CI (`CI` set, as `.ci/run` has it) or with
 * KUBEPROOF_SLOW_TESTS=1, and never with KUBEPROOF_SLOW_TESTS=0 (the Node 24 leg of `.ci/run`,
 * which already ran them on Node 20).
 */
export const RUN_SLOW_TESTS =
  process.env.KUBEPROOF_SLOW_TESTS !== '0' && Boolean(process.env.CI || process.env.KUBEPROOF_SLOW_TESTS);
