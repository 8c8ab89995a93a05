#!/usr/bin/env node
import { runCli } from './audit.js';

process.exitCode = await runCli(process.argv.slice(2), {
  fetch: (input, init) => fetch(input, init),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
