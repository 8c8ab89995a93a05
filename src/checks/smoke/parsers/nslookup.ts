/**
 * What busybox `nslookup NAME` said. Its exit status is not evidence: 1.35/1.36 exit 1 when the
 * AAAA query has no answer even though the A record was printed. We read the addresses.
 */
export interface NslookupResult {
  /** The DNS server busybox asked, when it printed one. */
  server?: string;
  /** Addresses answered per name (A and AAAA), in order. */
  answers: Array<{ name: string; address: string }>;
  /** `** server can't find NAME: NXDOMAIN` (or ≤1.28 `can't resolve`). */
  nxdomain: boolean;
  /** `;; connection timed out; no servers could be reached`. */
  noServer: boolean;
  /** One line saying what went wrong, when no address was found. */
  problem?: string;
}

const NEW_ANSWER_ADDRESS = /^Address:\s*([0-9a-fA-F:.]+)\s*$/;
// busybox ≤ 1.28: `Address 1: 10.32.0.93 web.default.svc.cluster.local`
const OLD_ADDRESS = /^Address \d+:\s*([0-9a-fA-F:.]+)(?:\s+(\S+))?/;

/** Reads busybox nslookup output (old and new formats): addresses found, or what went wrong. */
export function parseNslookup(stdout: string, stderr = ''): NslookupResult {
  const result: NslookupResult = { answers: [], nxdomain: false, noServer: false };
  let section: 'server' | 'answer' | 'none' = 'none';
  let name = '';
  for (const raw of stdout.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('Server:')) {
      section = 'server';
      result.server = line.slice('Server:'.length).trim();
      continue;
    }
    if (line.startsWith('Name:')) {
      section = 'answer';
      name = line.slice('Name:'.length).trim();
      continue;
    }
    if (/^\*\* server can't find .*NXDOMAIN/.test(line)) result.nxdomain = true;
    if (line.includes('no servers could be reached')) result.noServer = true;
    const old = OLD_ADDRESS.exec(line);
    if (old && section === 'answer') {
      result.answers.push({ name: old[2] ?? name, address: old[1] ?? '' });
      continue;
    }
    const address = NEW_ANSWER_ADDRESS.exec(line);
    // The server block's `Address:\t10.96.0.10:53` carries a port; answers never do.
    if (address && section === 'answer') result.answers.push({ name, address: address[1] ?? '' });
  }
  if (/can't resolve/.test(stdout + stderr)) result.nxdomain = result.answers.length === 0;
  if (result.answers.length === 0) result.problem = describeProblem(result, stdout, stderr);
  return result;
}

function describeProblem(r: NslookupResult, stdout: string, stderr: string): string {
  if (r.noServer) return `no DNS server answered${stderr.trim() ? ` (${stderr.trim()})` : ''}`;
  if (r.nxdomain) return 'the name does not exist (NXDOMAIN)';
  const said = (stdout + stderr).trim().split('\n').filter(Boolean).slice(-2).join(' / ');
  return said ? `no address in the answer: ${said}` : 'nslookup printed nothing';
}

/** Addresses answered for one name (IPv4 and IPv6), whatever the exit status. */
export function addressesOf(r: NslookupResult): string[] {
  return [...new Set(r.answers.map((a) => a.address))];
}
