#!/usr/bin/env node
// `npm test`'s first step (pretest): the programs the tests drive that npm does not install.
// Missing ones are installed from Debian when running as root with apt-get (a fresh CI machine);
// otherwise the step stops with the packages to install, before any test fails obscurely.
import { spawnSync } from 'node:child_process';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    'Usage: node scripts/test-prerequisites.mjs\n\n' +
      'Checks the programs the tests need besides npm packages (etcd, etcdctl, the Python Kubernetes client, xmllint),\n' +
      'installs missing ones with apt-get when run as root, and otherwise names the Debian packages to install.\n',
  );
  process.exit(0);
}
if (process.argv.length > 2) {
  process.stderr.write(`test-prerequisites: unknown argument ${process.argv[2]} (see --help)\n`);
  process.exit(2);
}

/** One list: what is probed, the Debian package that provides it, and what needs it. */
const TOOLS = [
  { probe: ['etcd', '--version'], pkg: 'etcd-server', why: 'the real etcd behind the encryption-at-rest tests' },
  { probe: ['etcdctl', 'version'], pkg: 'etcd-client', why: 'etcdctl in the simulated etcd pod' },
  {
    probe: ['/usr/bin/python3', '-c', 'import kubernetes'],
    pkg: 'python3-kubernetes',
    why: 'the official Python client tests and the deploy/ schema check',
  },
  { probe: ['xmllint', '--version'], pkg: 'libxml2-utils', why: 'the JUnit report check against junit-10.xsd' },
];

const works = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' }).status === 0;
const missing = TOOLS.filter((t) => !works(t.probe));
if (missing.length > 0) {
  const pkgs = [...new Set(missing.map((t) => t.pkg))];
  const isRoot = process.getuid?.() === 0;
  if (isRoot && works(['apt-get', '--version'])) {
    process.stderr.write(`test-prerequisites: installing ${pkgs.join(' ')} from Debian\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
      stdio: 'inherit',
      env,
    });
    if (update.status !== 0 || install.status !== 0) {
      process.stderr.write(`test-prerequisites: apt-get could not install ${pkgs.join(' ')}\n`);
      process.exit(1);
    }
  } else {
    process.stderr.write(
      `test-prerequisites: the tests need programs that are not installed:\n${missing
        .map((t) => `  - ${t.probe[0]} (Debian package ${t.pkg}): ${t.why}`)
        .join('\n')}\nInstall them: sudo apt-get install ${pkgs.join(' ')}\n`,
    );
    process.exit(1);
  }
}
// Debian's chromium for the offline /docs test (test/docs/offline-docs.test.ts): installed like the
// others when possible; when it cannot be, that one test skips saying why, and nothing else stops.
const CHROMIUM = '/usr/bin/chromium';
if (!works([CHROMIUM, '--version'])) {
  const isRoot = process.getuid?.() === 0;
  let installed = false;
  if (isRoot && works(['apt-get', '--version'])) {
    process.stderr.write('test-prerequisites: installing chromium from Debian (the offline /docs test)\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    installed =
      spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env })
        .status === 0 && works([CHROMIUM, '--version']);
  }
  if (!installed)
    process.stderr.write(
      `test-prerequisites: warning: ${CHROMIUM} is not installed (Debian package chromium); the offline /docs test will be skipped\n`,
    );
}
if (!works(['kubectl', 'version', '--client'])) {
  process.stderr.write('test-prerequisites: warning: kubectl not found; the kubectl fidelity tests will fail\n');
}
