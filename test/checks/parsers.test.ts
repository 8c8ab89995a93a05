import { describe, expect, it } from 'vitest';
import { agnhostRequests } from '../../src/checks/smoke/parsers/agnhost-log.js';
import { addressesOf, parseNslookup } from '../../src/checks/smoke/parsers/nslookup.js';
import { parseWget } from '../../src/checks/smoke/parsers/wget.js';
import { BUSYBOX, recordingIn } from '../support/recordings.js';

// Real busybox output, recorded and committed (see its README).
const recording = recordingIn(BUSYBOX);

describe('busybox nslookup parser', () => {
  it('reads the answered address and ignores the server block address (recorded 1.35 output)', () => {
    const r = recording('nslookup-found');
    const parsed = parseNslookup(r.stdout, r.stderr);
    expect(addressesOf(parsed), JSON.stringify(parsed)).toEqual(['10.32.0.93']);
    expect(parsed.answers[0]?.name).toBe('web.kp-abc123.svc.cluster.local');
    expect(parsed.server).toBe('127.0.0.1');
  });

  it('reports NXDOMAIN with no address (recorded)', () => {
    const r = recording('nslookup-nxdomain');
    const parsed = parseNslookup(r.stdout, r.stderr);
    expect(parsed.nxdomain).toBe(true);
    expect(parsed.answers).toEqual([]);
    expect(parsed.problem).toMatch(/NXDOMAIN/);
  });

  it('reports an unreachable DNS server (recorded)', () => {
    const r = recording('nslookup-noserver');
    const parsed = parseNslookup(r.stdout, r.stderr);
    expect(parsed.noServer).toBe(true);
    expect(parsed.answers).toEqual([]);
    expect(parsed.problem).toMatch(/no DNS server answered.*Connection refused/);
  });

  it('trusts the printed A record even when the AAAA query says No answer and busybox exits 1', () => {
    const stdout = [
      'Server:\t\t10.32.0.10',
      'Address:\t10.32.0.10:53',
      '',
      'Name:\tweb.kp-1.svc.cluster.local',
      'Address: 10.32.0.93',
      '',
      "*** Can't find web.kp-1.svc.cluster.local: No answer",
      '',
    ].join('\n');
    const parsed = parseNslookup(stdout, '');
    expect(addressesOf(parsed)).toEqual(['10.32.0.93']);
    expect(parsed.nxdomain).toBe(false);
  });

  it('reads the seed 000 output that has no server block', () => {
    const parsed = parseNslookup('Name:   web.default.svc.cluster.local\nAddress: 10.32.0.93\n');
    expect(addressesOf(parsed)).toEqual(['10.32.0.93']);
  });

  it('reads the busybox ≤1.28 format', () => {
    const stdout =
      'Server:    10.32.0.10\nAddress 1: 10.32.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: 10.32.0.93 web.default.svc.cluster.local\n';
    expect(addressesOf(parseNslookup(stdout))).toEqual(['10.32.0.93']);
    const failed = parseNslookup(
      'Server:    10.32.0.10\nAddress 1: 10.32.0.10\n',
      "nslookup: can't resolve 'nosuch'\n",
    );
    expect(failed.nxdomain).toBe(true);
  });
});

describe('busybox wget parser', () => {
  it('returns the body on success (recorded)', () => {
    expect(parseWget(recording('wget-ok'))).toEqual({ ok: true, body: 'web-578474b6fc-8rsb8' });
  });

  it('classifies a refused connection (recorded)', () => {
    const out = parseWget(recording('wget-refused'));
    expect(out).toMatchObject({ ok: false, failure: 'refused' });
  });

  it('classifies an HTTP error status (recorded)', () => {
    expect(parseWget(recording('wget-404'))).toMatchObject({ ok: false, failure: 'http-error' });
  });

  it('classifies a name that does not resolve and a dropped connection', () => {
    expect(parseWget({ stdout: '', stderr: "wget: bad address 'web'\n", exitCode: 1 })).toMatchObject({
      failure: 'bad-address',
    });
    expect(parseWget({ stdout: '', stderr: 'wget: download timed out\n', exitCode: 1 })).toMatchObject({
      failure: 'timeout',
    });
  });
});

describe('agnhost log parser', () => {
  it('finds requests in klog format (seed 000), not the hostname lines around them', () => {
    const log = [
      'I0523 14:55:35.269860  1 log.go:245] hostname: web-578474b6fc-8rsb8',
      'I0523 14:55:35.277355  1 log.go:245] GET /hostname',
      'I0523 14:55:35.277394  1 log.go:245] hostname: web-578474b6fc-8rsb8',
    ].join('\n');
    expect(agnhostRequests(log).map((r) => r.path)).toEqual(['/hostname']);
  });

  it('finds requests in the older plain Go log format', () => {
    expect(agnhostRequests('2023/05/23 14:55:35 GET /hostname\n')).toHaveLength(1);
  });
});
