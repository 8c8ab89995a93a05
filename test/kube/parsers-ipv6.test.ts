import { describe, expect, it } from 'vitest';
import { addressesOf, parseNslookup } from '../../src/checks/smoke/parsers/nslookup.js';
import { parseWget } from '../../src/checks/smoke/parsers/wget.js';
import { BUSYBOX_IPV6, recordingIn } from '../support/recordings.js';

const recording = recordingIn(BUSYBOX_IPV6);

describe('busybox 1.35 output on IPv6 (recorded)', () => {
  it('reads an AAAA-only answer (IPv6-only cluster)', () => {
    const r = recording('nslookup-aaaa');
    const parsed = parseNslookup(r.stdout, r.stderr);
    expect(addressesOf(parsed)).toEqual(['fd00:10:96::5a']);
    expect(parsed.problem).toBeUndefined();
  });

  it('reads both families of a dual-stack answer, A first', () => {
    const r = recording('nslookup-dual');
    expect(addressesOf(parseNslookup(r.stdout, r.stderr))).toEqual(['10.96.0.93', 'fd00:10:96::5a']);
  });

  it('does not take a bracketed IPv6 server address for an answer', () => {
    const r = recording('nslookup-v6server');
    const parsed = parseNslookup(r.stdout, r.stderr);
    expect(parsed.server).toBe('[::1]:5353');
    expect(addressesOf(parsed)).toEqual(['fd00:10:96::5a']);
  });

  it('reads wget over a bracketed IPv6 URL, and the two failures an IPv6 URL shows', () => {
    expect(parseWget(recording('wget-ipv6-ok'))).toEqual({ ok: true, body: 'web-578474b6fc-8rsb8' });
    expect(parseWget(recording('wget-ipv6-nobrackets'))).toMatchObject({ ok: false, failure: 'bad-address' });
    expect(parseWget(recording('wget-ipv6-refused'))).toMatchObject({ ok: false, failure: 'refused' });
  });
});
