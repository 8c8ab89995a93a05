/** The busybox 1.36 applets we emulate, by name as they are linked in /bin. */
import type { Program } from '../types.js';
import * as core from './coreutils.js';
import { nslookup } from './nslookup.js';
import { sh } from './sh.js';
import { tar, test } from './tar.js';
import { wget } from './wget.js';

export const BUSYBOX_APPLETS: ReadonlyMap<string, Program> = new Map<string, Program>([
  ['sh', sh],
  ['ash', sh],
  ['wget', wget],
  ['nslookup', nslookup],
  ['hostname', core.hostname],
  ['sleep', core.sleep],
  ['cat', core.cat],
  ['env', core.env],
  ['ls', core.ls],
  ['echo', core.echo],
  ['true', core.trueProgram],
  ['false', core.falseProgram],
  ['kill', core.kill],
  ['ps', core.ps],
  ['date', core.date],
  ['pwd', core.pwd],
  ['whoami', core.whoami],
  ['uname', core.uname],
  ['tar', tar],
  ['test', test],
  ['[', test],
]);
