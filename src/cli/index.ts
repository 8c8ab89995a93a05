#!/usr/bin/env node
import { runCli } from './audit.js';

// First SIGINT/SIGTERM: cancel the audit (its namespace is cleaned up) and write the reports.
// A second one: leave at once.
const interrupted = new AbortController();
const onSignal = () => {
  if (interrupted.signal.aborted) process.exit(130);
  interrupted.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await runCli(process.argv.slice(2), {
  fetch: (input, init) => fetch(input, init),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stderr.isTTY === true,
  ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  signal: interrupted.signal,
});
// The in-process service may leave keep-alive sockets or timers: the verdict is final, leave.
process.exit();
